/**
 * Local Azure Functions host for Keyward (and any @azure/functions v4 app):
 *
 *   node dist/dev/host/host-cli.js --app <dir containing package.json> [--port 7071] [--auth-settings <file>] [--no-timers]
 *                                  [--no-easyauth-attestation] [--object-id-seed <text>]
 *
 * `--no-timers` starts a further instance of an app another host already runs (timers fire on one instance).
 * The host tells the app that EasyAuth is in front of it (WEBSITE_AUTH_ENABLED, _OPENID_ISSUER, _CLIENT_ID, as
 * App Service does); `--no-easyauth-attestation` leaves that out, as with Authentication switched off, to check
 * that the app then refuses every principal header it receives. `--object-id-seed` gives every e-mail another
 * object id, as when accounts are re-created with the same address (roles must not follow the e-mail).
 * The environment is the app settings. `KEYWARD_HOST_AUTH_SECRET` (hex, ≥ 32 bytes) optionally sets the
 * EasyAuth session-signing secret; the host removes it from the environment before the app loads, since
 * it is the platform's secret, not an app setting. Prints one ready line when listening; SIGINT/SIGTERM
 * stop it gracefully (exit 0).
 */
import { parseArgs } from 'node:util';
import { applyEasyAuthAttestation } from './auth-attestation';
import { useObjectIdSeed } from './auth-principal';
import { startHost } from './host';
import { describeError } from './host-log';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      port: { type: 'string' },
      'auth-settings': { type: 'string' },
      'no-timers': { type: 'boolean', default: false },
      'no-easyauth-attestation': { type: 'boolean', default: false },
      'object-id-seed': { type: 'string' },
    },
    strict: true,
  });
  if (!values.app)
    throw new Error(
      'Usage: host-cli --app <dir containing package.json> [--port N] [--auth-settings <file>] [--no-timers] [--no-easyauth-attestation]',
    );
  const port = values.port === undefined ? 7071 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port "${values.port}".`);

  const authSecret = process.env.KEYWARD_HOST_AUTH_SECRET;
  delete process.env.KEYWARD_HOST_AUTH_SECRET;
  // The environment is the app's: set (or clear) the attestation before the app loads.
  applyEasyAuthAttestation(process.env, !values['no-easyauth-attestation']);
  if (values['object-id-seed']) useObjectIdSeed(values['object-id-seed']);

  const host = await startHost({
    appDir: values.app,
    port,
    authSecret,
    authSettingsFile: values['auth-settings'],
    timers: !values['no-timers'],
  });
  process.stdout.write(`Keyward host listening on http://127.0.0.1:${host.port}\n`);

  let signalled = false;
  const shutdown = (signal: string): void => {
    if (signalled) {
      process.stderr.write(`Second ${signal}: exiting now.\n`);
      process.exit(1);
    }
    signalled = true;
    process.stdout.write(`${signal} received: stopping the host.\n`);
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${describeError(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Keyward host failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
