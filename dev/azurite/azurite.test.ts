import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from './azurite';

describe('startAzurite', () => {
  let azurite: RunningAzurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('serves Table and Blob storage to the real SDK clients on the ports it reports', async () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, 'probe', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(42);

    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('probe');
    await blobs.create();
    await blobs.getBlockBlobClient('a.txt').upload('hello', 5);
    expect((await blobs.getBlockBlobClient('a.txt').downloadToBuffer()).toString()).toBe('hello');
    expect(new Set([azurite.blobPort, azurite.queuePort, azurite.tablePort]).size).toBe(3);
  });
});
