import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { loadEntryFiles, resolveEntryFiles } from './app-loader';
import { SessionSigner, loadSessionSecret } from './auth-session';
import { readAuthSettings } from './auth-settings';
import { CoreRegistry, createCoreApi, installCoreModule, type RegisteredFunction } from './core-api';
import { stringSetting, triggerOf, unsupportedBindings } from './function-bindings';
import { createHttpListener } from './http-server';
import { compileRoute, sortRoutes } from './http-routes';
import { createHostLogger, describeError, type HostLogger } from './host-log';
import { readHostSettings, resolveSetting } from './host-settings';
import { createInvocationRunner, type InvocationInput } from './invocation-runner';
import { ServiceBusClients } from './servicebus-clients';
import { sendServiceBusOutputs } from './servicebus-outputs';
import { startServiceBusTriggers } from './servicebus-triggers';
import { settleWithin } from './settle-within';
import { parseSchedule, startTimers, timerInput } from './timer-scheduler';

export interface HostOptions {
  /** Folder holding the app's package.json, host.json and infra/authsettings.json. */
  readonly appDir: string;
  /** 7071 by default; 0 picks a free port. */
  readonly port?: number;
  readonly hostname?: string;
  /** App settings; the app reads them from process.env, so they are process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** globalValidation JSON; `<appDir>/infra/authsettings.json` by default. */
  readonly authSettingsFile?: string;
  /** Hex session-signing secret (≥ 32 bytes); else kept in `<appDir>/.local/easyauth-secret`. */
  readonly authSecret?: string;
  /** How long shutdown waits for running invocations. */
  readonly shutdownTimeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly log?: HostLogger;
  /**
   * False for a further instance of a scaled-out app: Azure fires each timer on one instance only (a singleton
   * lock), so the extra local instances serve HTTP and queue triggers and leave timers to the first. Default true.
   */
  readonly timers?: boolean;
}

export interface RunningHost {
  readonly port: number;
  readonly url: string;
  /** Stops accepting work, lets running invocations finish (bounded), runs appTerminate hooks, closes clients. */
  stop(): Promise<void>;
}

/**
 * Starts the local Functions host: supplies `@azure/functions-core`, loads the app from package.json
 * `main`, locks registration, calls getCapabilities, runs appStart hooks, then serves HTTP (behind the
 * EasyAuth emulation), timers and Service Bus triggers. Can only run once per process (the core module
 * and the app's registrations are process-wide, as in the worker).
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const appDir = resolve(options.appDir);
  const env = options.env ?? process.env;
  const log = options.log ?? createHostLogger();
  const settings = readHostSettings(appDir, env);
  const auth = readAuthSettings(appDir, options.authSettingsFile);
  const signer = new SessionSigner(loadSessionSecret(join(appDir, '.local', 'easyauth-secret'), options.authSecret));

  const registry = new CoreRegistry();
  installCoreModule(createCoreApi(registry, (level, category, message) => log(level, message, undefined, category)));
  const entry = resolveEntryFiles(appDir);
  await loadEntryFiles(entry.files, entry.isModule);
  registry.lock();
  if (!registry.programmingModel)
    throw new Error(`The app in ${appDir} registered no programming model (no functions?).`);
  await registry.programmingModel.getCapabilities?.({});
  for (const hook of registry.hooks.appStart) {
    await hook({
      hookData: registry.appLevelHookData,
      appHookData: registry.appHookData,
      functionAppDirectory: appDir,
    });
  }

  const functions = [...registry.functions.values()];
  for (const fn of functions) {
    const problems = unsupportedBindings(fn);
    if (problems.length > 0)
      log('warning', `Not supported locally, ignored: ${problems.join('; ')}`, { functionName: fn.metadata.name });
  }
  const byTrigger = (type: string): RegisteredFunction[] => functions.filter((fn) => triggerOf(fn).type === type);

  const runner = createInvocationRunner(registry, log);
  const clients = new ServiceBusClients(env);
  /** Runs an invocation, then its Service Bus outputs. Both log their own failures, so callers do not. */
  const execute = async (fn: RegisteredFunction, input: InvocationInput) => {
    const response = await runner.invoke(fn, input);
    try {
      await sendServiceBusOutputs(fn, response, clients, env);
    } catch (error) {
      log('error', `Sending Service Bus output bindings failed: ${describeError(error)}`, {
        functionName: fn.metadata.name,
      });
      throw error;
    }
    return response;
  };
  const runInBackground = (fn: RegisteredFunction, input: InvocationInput): void => {
    execute(fn, input).catch(() => undefined);
  };

  const routes = sortRoutes(
    byTrigger('httptrigger').map((fn) => {
      const { binding } = triggerOf(fn);
      const route = stringSetting(binding, 'route') ?? fn.metadata.name;
      const methods = Array.isArray(binding.methods) ? binding.methods.map(String) : [];
      return compileRoute(`${settings.routePrefix}/${route}`, methods, fn);
    }),
  );
  const server = createServer(
    createHttpListener({
      routes,
      execute,
      signer,
      auth,
      log,
      maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
      admin: { functions: registry.functions, run: (fn, input) => runInBackground(fn, adminInput(fn, input, env)) },
    }),
  );
  await listen(server, options.port ?? 7071, options.hostname ?? '127.0.0.1');

  const timers = startTimers(options.timers === false ? [] : byTrigger('timertrigger'), env, execute, log);
  const serviceBus = startServiceBusTriggers({
    functions: byTrigger('servicebustrigger'),
    clients,
    settings: settings.serviceBus,
    env,
    execute,
    log,
  });

  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    const timeout = options.shutdownTimeoutMs ?? 30_000;
    timers.stop();
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeIdleConnections();
    await serviceBus.close(timeout);
    const left = await runner.drain(timeout);
    if (left > 0) log('warning', `Shutting down with ${left} invocation(s) still running.`);
    // Responses of finished invocations get a moment to flush before connections are cut.
    server.closeIdleConnections();
    await settleWithin([closed], 2000);
    server.closeAllConnections();
    for (const hook of registry.hooks.appTerminate) {
      await Promise.resolve()
        .then(() => hook({ hookData: registry.appLevelHookData, appHookData: registry.appHookData }))
        .catch((error: unknown) => log('error', `appTerminate hook failed: ${describeError(error)}`));
    }
    await settleWithin([clients.closeAll()], 5000);
    await closed;
  };
  return { port, url: `http://127.0.0.1:${port}`, stop: () => (stopping ??= stop()) };
}

/** The input the admin API gives a function: a timer's payload, or the posted string as the message. */
function adminInput(fn: RegisteredFunction, input: string, env: NodeJS.ProcessEnv): InvocationInput {
  const trigger = triggerOf(fn);
  if (trigger.type === 'httptrigger') throw new Error('HTTP functions are invoked through their route.');
  if (trigger.type === 'timertrigger') {
    const now = new Date();
    const next = parseSchedule(resolveSetting(stringSetting(trigger.binding, 'schedule') ?? '', env))(now);
    return timerInput(trigger.name, false, undefined, next, now);
  }
  return {
    inputData: [{ name: trigger.name, data: { string: input } }],
    triggerMetadata: { DeliveryCount: { int: 1 }, MessageId: { string: `admin-${Date.now()}` } },
  };
}

function listen(server: Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use (set --port).`) : error),
    );
    server.listen(port, hostname, () => resolveListen());
  });
}
