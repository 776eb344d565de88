import { join } from 'node:path';
import { metrics, propagation, trace } from '@opentelemetry/api';
import { startTelemetry } from './start-telemetry';

const DISTRO = '@azure/monitor-opentelemetry';
// A made-up connection string of the real shape; nothing is sent anywhere (the distro is mocked below).
const CONNECTION_STRING =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';
const CLIENT_ID = '11111111-1111-1111-1111-111111111111';

const loaded = (fragment: string) => Object.keys(require.cache).filter((path) => path.includes(fragment));

describe('startTelemetry without a connection string', () => {
  it('registers nothing, sends nothing and does not load the distro', () => {
    expect(startTelemetry({})).toBe(false);
    expect(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: '' })).toBe(false);

    // The API's no-op implementations stay in place: spans do not record, no propagator, no-op meters.
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    expect(propagation.fields()).toEqual([]);
    expect(metrics.getMeterProvider().getMeter('keyward').constructor.name).toBe('NoopMeter');
    expect(Object.keys(require.cache)).toContain(join(__dirname, 'start-telemetry.ts')); // it lists what loaded
    expect(loaded('monitor-opentelemetry')).toEqual([]);
    expect(loaded('@opentelemetry/sdk-')).toEqual([]);
  });
});

// The distro is the one module mocked here: the real one would start exporting to Azure. Each test loads
// start-telemetry afresh (it starts once per process).
describe('startTelemetry with a connection string', () => {
  type Options = { azureMonitorExporterOptions: { connectionString: string; credential?: unknown } };

  function start(env: NodeJS.ProcessEnv, useAzureMonitor: (options: Options) => void) {
    let result: { started: boolean; credentialClass: unknown; hooksFirst: boolean } | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { app } = require('@azure/functions') as typeof import('@azure/functions');
      // Test mode (no Functions host): the library would only warn that it skips hook registration.
      const preInvocation = jest.spyOn(app.hook, 'preInvocation').mockReturnValue({ dispose: () => undefined });
      jest.spyOn(app.hook, 'postInvocation').mockReturnValue({ dispose: () => undefined });
      let hooksFirst = false;
      jest.doMock(DISTRO, () => ({
        useAzureMonitor: (options: Options) => {
          // Our hooks must be registered before the distro registers its own preInvocation hook.
          hooksFirst = preInvocation.mock.calls.length === 1;
          useAzureMonitor(options);
        },
      }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('./start-telemetry') as typeof import('./start-telemetry');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const identity = require('@azure/identity') as typeof import('@azure/identity');
      const started = isolated.startTelemetry(env);
      isolated.startTelemetry(env);
      result = { started, credentialClass: identity.ManagedIdentityCredential, hooksFirst };
    });
    if (!result) throw new Error('not run');
    return result;
  }

  it("starts the distro once, with the managed identity's credential, after registering the span hooks", () => {
    const calls: Options[] = [];
    const result = start(
      { APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING, AZURE_CLIENT_ID: CLIENT_ID },
      (options) => calls.push(options),
    );
    expect(result.started).toBe(true);
    expect(result.hooksFirst).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.azureMonitorExporterOptions.connectionString).toBe(CONNECTION_STRING);
    const credential = calls[0]?.azureMonitorExporterOptions.credential;
    expect(credential).toBeInstanceOf(result.credentialClass as new () => unknown);
    expect(credential).toMatchObject({ clientId: CLIENT_ID });
  });

  it('passes no credential without AZURE_CLIENT_ID', () => {
    const calls: Options[] = [];
    start({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING }, (options) => calls.push(options));
    expect(calls).toEqual([{ azureMonitorExporterOptions: { connectionString: CONNECTION_STRING } }]);
  });

  it('stays off when the distro cannot start, and never logs the connection string', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = start({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING }, () => {
      throw new Error(`Invalid connection string ${CONNECTION_STRING}`);
    });
    expect(result.started).toBe(false);
    expect(warn).toHaveBeenCalledTimes(2); // tried again on the second call: it never started
    expect(warn.mock.calls.flat().join(' ')).not.toContain('InstrumentationKey');
    warn.mockRestore();
  });
});
