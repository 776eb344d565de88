import { randomUUID } from 'node:crypto';
import type { CoreRegistry, RegisteredFunction } from './core-api';
import type {
  CoreInvocationContext,
  HookCallback,
  RpcInvocationResponse,
  RpcParameterBinding,
  RpcTypedData,
} from './core-types';
import { describeError, type HostLogger } from './host-log';
import { settleWithin } from './settle-within';

/** The trigger's data for one invocation, in RPC form. */
export interface InvocationInput {
  readonly inputData: RpcParameterBinding[];
  readonly triggerMetadata?: Record<string, RpcTypedData>;
}

export interface InvocationRunner {
  /** Runs one invocation and logs its outcome; rejects with the handler's (or a hook's) error. */
  invoke(fn: RegisteredFunction, input: InvocationInput): Promise<RpcInvocationResponse>;
  /** Resolves when no invocation is running, or after `timeoutMs`; returns how many were still running. */
  drain(timeoutMs: number): Promise<number>;
}

/**
 * Drives invocations through the app's own ProgrammingModel in the worker's order (InvocationHandler.ts):
 * getInvocationModel → getArguments → preInvocation hooks → invokeFunction → postInvocation hooks →
 * rethrow → getResponse.
 */
export function createInvocationRunner(registry: CoreRegistry, log: HostLogger): InvocationRunner {
  const running = new Set<Promise<unknown>>();

  async function run(
    fn: RegisteredFunction,
    input: InvocationInput,
    invocationId: string,
  ): Promise<RpcInvocationResponse> {
    const model = registry.programmingModel;
    if (!model) throw new Error('The app set no programming model (is @azure/functions loaded?).');
    const scope = { functionName: fn.metadata.name, invocationId };
    const coreCtx: CoreInvocationContext = {
      invocationId,
      metadata: fn.metadata,
      request: {
        invocationId,
        functionId: fn.metadata.functionId ?? fn.metadata.name,
        inputData: input.inputData,
        triggerMetadata: input.triggerMetadata ?? {},
      },
      log: (level, category, message) => log(level, message, scope, category),
    };
    const invocationModel = await model.getInvocationModel(coreCtx);
    const { context, inputs } = await invocationModel.getArguments();

    const hookData: Record<string, unknown> = {};
    const pre = {
      hookData,
      appHookData: registry.appHookData,
      invocationContext: context,
      functionCallback: fn.callback,
      inputs,
    };
    await runHooks(coreCtx, 'preInvocationHooks', registry.hooks.preInvocation, pre);

    let result: unknown;
    let error: unknown;
    coreCtx.state = 'invocation';
    try {
      result = await invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
    } catch (caught) {
      error = caught;
    } finally {
      coreCtx.state = undefined;
    }

    const post = {
      hookData,
      appHookData: registry.appHookData,
      invocationContext: context,
      inputs: pre.inputs,
      result,
      error,
    };
    await runHooks(coreCtx, 'postInvocationHooks', registry.hooks.postInvocation, post);
    if (post.error !== undefined && post.error !== null) throw post.error;
    return invocationModel.getResponse(context, post.result);
  }

  /** Logs the outcome once, here, with function name and invocation id (the full error, locally only). */
  async function runLogged(fn: RegisteredFunction, input: InvocationInput): Promise<RpcInvocationResponse> {
    const invocationId = randomUUID();
    const scope = { functionName: fn.metadata.name, invocationId };
    const started = performance.now();
    try {
      const response = await run(fn, input, invocationId);
      log('information', `Executed (Succeeded, ${Math.round(performance.now() - started)} ms)`, scope, 'system');
      return response;
    } catch (error) {
      log(
        'error',
        `Executed (Failed, ${Math.round(performance.now() - started)} ms): ${describeError(error)}`,
        scope,
        'system',
      );
      throw error;
    }
  }

  return {
    invoke(fn, input) {
      const promise = runLogged(fn, input);
      const settled = promise.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return promise;
    },
    async drain(timeoutMs) {
      await settleWithin(running, timeoutMs);
      return running.size;
    },
  };
}

async function runHooks(
  coreCtx: CoreInvocationContext,
  state: 'preInvocationHooks' | 'postInvocationHooks',
  hooks: readonly HookCallback[],
  hookContext: Record<string, unknown>,
): Promise<void> {
  coreCtx.state = state;
  try {
    for (const hook of [...hooks]) await hook(hookContext);
  } finally {
    coreCtx.state = undefined;
  }
}
