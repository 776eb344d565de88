import { CoreRegistry } from './core-api';
import type { CoreInvocationContext, FunctionCallback, InvocationModel } from './core-types';
import { createInvocationRunner } from './invocation-runner';

/** A programming model that records the order in which the host calls it. */
function recordingRegistry(calls: string[], fail = false): CoreRegistry {
  const registry = new CoreRegistry();
  registry.programmingModel = {
    name: 'test',
    version: '1',
    getInvocationModel(coreCtx: CoreInvocationContext): InvocationModel {
      calls.push(`getInvocationModel:${coreCtx.metadata.name}`);
      return {
        async getArguments() {
          calls.push('getArguments');
          return { context: { id: coreCtx.invocationId }, inputs: ['input'] };
        },
        async invokeFunction(_context, inputs, callback: FunctionCallback) {
          calls.push(`invokeFunction:${String(inputs[0])}:${coreCtx.state ?? ''}`);
          return callback(...inputs);
        },
        async getResponse(_context, result) {
          calls.push(`getResponse:${String(result)}`);
          return { invocationId: coreCtx.invocationId, returnValue: { string: String(result) } };
        },
      };
    },
  };
  registry.registerFunction({ name: 'fn', bindings: {} }, (input) => {
    if (fail) throw new Error('handler failed');
    return `${String(input)}-handled`;
  });
  return registry;
}

const silent = (): void => undefined;

describe('invocation runner', () => {
  it("follows the worker's order, and hooks can replace inputs, the callback and the result", async () => {
    const calls: string[] = [];
    const registry = recordingRegistry(calls);
    registry.registerHook('preInvocation', (ctx) => {
      calls.push('preInvocation');
      ctx.inputs = ['replaced'];
      const original = ctx.functionCallback as FunctionCallback;
      ctx.functionCallback = (...args: unknown[]) => `${String(original(...args))}!`;
      (ctx.hookData as Record<string, unknown>).marker = 1;
    });
    registry.registerHook('postInvocation', (ctx) => {
      calls.push(`postInvocation:${String(ctx.result)}:${String((ctx.hookData as Record<string, unknown>).marker)}`);
      ctx.result = 'overridden';
    });
    const runner = createInvocationRunner(registry, silent);
    const fn = registry.functions.get('fn');
    if (!fn) throw new Error('fn not registered');
    const response = await runner.invoke(fn, { inputData: [] });
    expect(calls).toEqual([
      'getInvocationModel:fn',
      'getArguments',
      'preInvocation',
      'invokeFunction:replaced:invocation',
      'postInvocation:replaced-handled!:1',
      'getResponse:overridden',
    ]);
    expect(response.returnValue).toEqual({ string: 'overridden' });
  });

  it('rethrows the handler error after postInvocation hooks, unless a hook clears it', async () => {
    const calls: string[] = [];
    const registry = recordingRegistry(calls, true);
    const fn = registry.functions.get('fn');
    if (!fn) throw new Error('fn not registered');
    const logged: string[] = [];
    const runner = createInvocationRunner(registry, (level, message) => logged.push(`${level}:${message}`));
    await expect(runner.invoke(fn, { inputData: [] })).rejects.toThrow('handler failed');
    expect(calls).not.toContain('getResponse:undefined');
    expect(logged.some((line) => line.startsWith('error:Executed (Failed') && line.includes('handler failed'))).toBe(
      true,
    );

    const hook = registry.registerHook('postInvocation', (ctx) => {
      ctx.error = null;
      ctx.result = 'recovered';
    });
    await expect(runner.invoke(fn, { inputData: [] })).resolves.toMatchObject({ returnValue: { string: 'recovered' } });
    hook.dispose();
    expect(await runner.drain(1000)).toBe(0);
  });

  it('refuses registrations after startup and duplicate ids, as the worker does', () => {
    const registry = new CoreRegistry();
    registry.registerFunction({ name: 'a', bindings: {} }, () => undefined);
    expect(() => registry.registerFunction({ name: 'a', bindings: {} }, () => undefined)).toThrow(
      /already been registered/,
    );
    registry.lock();
    expect(() => registry.registerFunction({ name: 'b', bindings: {} }, () => undefined)).toThrow(/during app startup/);
    expect(() => registry.registerHook('log', () => undefined)).toThrow(RangeError);
  });
});
