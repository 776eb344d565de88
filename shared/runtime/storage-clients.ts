import type { TableClient, TableServiceClient } from '@azure/data-tables';
import type { BlobServiceClient } from '@azure/storage-blob';
import { readAppSetting } from '../config/app-settings';
import { azureCredential } from './azure-credential';
import { StoreError, isConflict } from './store-errors';

/** Table and blob clients for one storage account, built lazily and once. */
export interface StorageClients {
  /** A client for `name`; the table is created (if absent) before the first use, once per process. */
  table(name: string): Promise<TableClient>;
  tableService(): TableServiceClient;
  blobService(): BlobServiceClient;
}

/**
 * Connects with AzureWebJobsStorage (a connection string, locally Azurite) or, in Azure, with the
 * identity-based AzureWebJobsStorage__accountName and the shared managed-identity credential.
 */
export function createStorageClients(env: NodeJS.ProcessEnv = process.env): StorageClients {
  const connectionString = readAppSetting('AzureWebJobsStorage', env);
  const accountName = readAppSetting('AzureWebJobsStorage__accountName', env);
  if (!connectionString && !accountName) {
    throw new Error('Set AzureWebJobsStorage or AzureWebJobsStorage__accountName');
  }
  // Azurite speaks http; the SDKs refuse http unless told, and must never be told so for a real account.
  const insecure = { allowInsecureConnection: /(^|;)\s*(TableEndpoint|BlobEndpoint)=http:/i.test(connectionString) };
  const tables = new Map<string, Promise<TableClient>>();
  let tableService: TableServiceClient | undefined;
  let blobService: BlobServiceClient | undefined;

  const dataTables = (): typeof import('@azure/data-tables') =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@azure/data-tables') as typeof import('@azure/data-tables');

  const createTable = async (name: string): Promise<TableClient> => {
    const { TableClient: Client } = dataTables();
    const client = connectionString
      ? Client.fromConnectionString(connectionString, name, insecure)
      : new Client(`https://${accountName}.table.core.windows.net`, name, azureCredential(env));
    try {
      await client.createTable();
    } catch (error) {
      if (!isConflict(error)) throw new StoreError(`createTable ${name}`, undefined);
    }
    return client;
  };

  return {
    table(name) {
      let client = tables.get(name);
      if (!client) {
        client = createTable(name);
        // A failed creation is retried on the next call rather than cached forever.
        client.catch(() => tables.delete(name));
        tables.set(name, client);
      }
      return client;
    },
    tableService() {
      if (!tableService) {
        const { TableServiceClient: Client } = dataTables();
        tableService = connectionString
          ? Client.fromConnectionString(connectionString, insecure)
          : new Client(`https://${accountName}.table.core.windows.net`, azureCredential(env));
      }
      return tableService;
    },
    blobService() {
      if (!blobService) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { BlobServiceClient: Client } = require('@azure/storage-blob') as typeof import('@azure/storage-blob');
        blobService = connectionString
          ? Client.fromConnectionString(connectionString)
          : new Client(`https://${accountName}.blob.core.windows.net`, azureCredential(env));
      }
      return blobService;
    },
  };
}
