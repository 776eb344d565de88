import type { ServiceBusClient } from '@azure/service-bus';
import { readAppSetting } from '../config/app-settings';
import { azureCredential } from './azure-credential';

/**
 * Returns a function that builds the process's ServiceBusClient on first call: ServiceBusConnection (a
 * connection string, locally the emulator) or the identity-based ServiceBusConnection__fullyQualifiedNamespace.
 */
export function lazyServiceBusClient(env: NodeJS.ProcessEnv = process.env): () => ServiceBusClient {
  let client: ServiceBusClient | undefined;
  return () => {
    if (!client) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@azure/service-bus') as typeof import('@azure/service-bus');
      const connectionString = readAppSetting('ServiceBusConnection', env);
      const namespace = readAppSetting('ServiceBusConnection__fullyQualifiedNamespace', env);
      if (connectionString) client = new sdk.ServiceBusClient(connectionString);
      else if (namespace) client = new sdk.ServiceBusClient(namespace, azureCredential(env));
      else throw new Error('Set ServiceBusConnection or ServiceBusConnection__fullyQualifiedNamespace');
    }
    return client;
  };
}
