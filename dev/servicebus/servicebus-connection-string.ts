/** The key the official Service Bus emulator documents; the emulator accepts any token, so it is no secret. */
export const EMULATOR_SAS_KEY_NAME = 'RootManageSharedAccessKey';
export const EMULATOR_SAS_KEY = 'SAS_KEY_VALUE';

/**
 * The connection string the unmodified `@azure/service-bus` SDK uses to reach the emulator:
 * `UseDevelopmentEmulator=true` makes core-amqp speak plain TCP to the port given in `Endpoint`.
 */
export function emulatorConnectionString(port: number, host = 'localhost'): string {
  return (
    `Endpoint=sb://${host}:${port};SharedAccessKeyName=${EMULATOR_SAS_KEY_NAME};` +
    `SharedAccessKey=${EMULATOR_SAS_KEY};UseDevelopmentEmulator=true;`
  );
}
