import type { TableClient } from '@azure/data-tables';
import { isConflict, storeCall, storeGet } from '../runtime/store-errors';

export const MALFORMED_TABLE = 'MalformedMessages';

/** What a worker found wrong with a message it refused: schema paths and issue codes, never a value. */
export interface MalformedDiagnosis {
  readonly issues: string;
  readonly firstSeenAt: string;
}

/**
 * Why messages were refused as malformed, by entity and message id. Service Bus records only its own reason
 * (MaxDeliveryCountExceeded) when a Functions trigger's failures exhaust the delivery count — the GA trigger binding
 * cannot dead-letter with a reason of the app's — so the app keeps its diagnosis here and the dead-letter listing
 * shows it beside the broker's.
 */
export interface MalformedStore {
  /** Records the first diagnosis of a message; later deliveries of the same message change nothing. */
  record(entityPath: string, messageId: string, diagnosis: MalformedDiagnosis): Promise<void>;
  /** The diagnoses of the given messages of an entity that have one. */
  find(entityPath: string, messageIds: readonly string[]): Promise<Map<string, MalformedDiagnosis>>;
}

// Table keys may not hold '/', '\\', '#', '?' or control characters; entity paths and message ids may.
const key = (value: string): string => Buffer.from(value).toString('base64url');
const partition = (entityPath: string): string => key(entityPath.toLowerCase());

export function createMalformedStore(table: () => Promise<TableClient>): MalformedStore {
  return {
    async record(entityPath, messageId, diagnosis) {
      const client = await table();
      try {
        await client.createEntity({ partitionKey: partition(entityPath), rowKey: key(messageId), ...diagnosis });
      } catch (error) {
        if (!isConflict(error)) await storeCall('malformed.record', () => Promise.reject(error));
      }
    },
    async find(entityPath, messageIds) {
      const client = await table();
      const found = new Map<string, MalformedDiagnosis>();
      await Promise.all(
        messageIds.map(async (id) => {
          const row = await storeGet('malformed.get', () =>
            client.getEntity<MalformedDiagnosis>(partition(entityPath), key(id)),
          );
          if (row) found.set(id, { issues: row.issues, firstSeenAt: row.firstSeenAt });
        }),
      );
      return found;
    },
  };
}
