import Module from 'node:module';
import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
  RpcLogCategory,
  RpcLogLevel,
} from './core-types';

/** Mirrors the core module's `Disposable`: `dispose()` runs the callback once. */
export class Disposable {
  #callback: (() => unknown) | undefined;

  constructor(callback: () => unknown) {
    this.#callback = callback;
  }

  static from(...likes: { dispose: () => unknown }[]): Disposable {
    return new Disposable(() => likes.forEach((like) => like.dispose()));
  }

  dispose(): void {
    const callback = this.#callback;
    this.#callback = undefined;
    callback?.();
  }
}

export interface RegisteredFunction {
  readonly metadata: FunctionMetadata;
  readonly callback: FunctionCallback;
}

export type CoreLogger = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

/** What the app registered through the core module: functions, hooks and its programming model. */
export class CoreRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks: Record<HookName, HookCallback[]> = {
    appStart: [],
    appTerminate: [],
    preInvocation: [],
    postInvocation: [],
  };
  /** Shared by all hooks across scopes, as the worker's `appHookData`. */
  readonly appHookData: Record<string, unknown> = {};
  /** `hookData` of the app-level hooks (appStart, appTerminate), shared between them as in the worker. */
  readonly appLevelHookData: Record<string, unknown> = {};
  programmingModel: ProgrammingModel | undefined;
  #locked = false;

  /** After indexing the worker refuses new functions; so does the local host. */
  lock(): void {
    this.#locked = true;
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.#locked) throw new Error('A function can only be registered during app startup.');
    const id = metadata.functionId ?? metadata.name;
    if (this.functions.has(id)) throw new Error(`A function with id "${id}" has already been registered.`);
    this.functions.set(id, { metadata: { ...metadata, functionId: id }, callback });
    return new Disposable(() => {
      if (this.#locked) throw new Error('A function can only be disposed during app startup.');
      this.functions.delete(id);
    });
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    if (!isHookName(name)) {
      // Same error shape as worker 3.x, so the library can tell the user which host version log hooks need.
      const error = Object.assign(new RangeError(`Unrecognized hook "${name}"`), {
        isAzureFunctionsSystemError: true,
      });
      throw error;
    }
    const list = this.hooks[name];
    list.push(callback);
    return new Disposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  }
}

function isHookName(name: string): name is HookName {
  return ['appStart', 'appTerminate', 'preInvocation', 'postInvocation'].includes(name);
}

/** Builds the object `require('@azure/functions-core')` returns, with the worker's members. */
export function createCoreApi(registry: CoreRegistry, log: CoreLogger): Record<string, unknown> {
  return {
    version: '3.10.1',
    hostVersion: '4.0.0-keyward-local',
    registerFunction: (metadata: FunctionMetadata, callback: FunctionCallback) =>
      registry.registerFunction(metadata, callback),
    registerHook: (name: string, callback: HookCallback) => registry.registerHook(name, callback),
    setProgrammingModel: (model: ProgrammingModel) => {
      registry.programmingModel = model;
    },
    getProgrammingModel: () => registry.programmingModel,
    log: (level: RpcLogLevel, category: RpcLogCategory, message: string) => log(level, category, message),
    Disposable,
  };
}

/**
 * Answers `require('@azure/functions-core')` with `coreApi`, exactly as the worker's setupCoreModule does
 * (a Proxy on Module.prototype.require), so unmodified app code registers against this host.
 */
export function installCoreModule(coreApi: Record<string, unknown>): void {
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  proto.require = new Proxy(proto.require, {
    apply(target, thisArg, args: unknown[]) {
      return args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, thisArg, args);
    },
  });
}
