import type { TableClient, TransactionAction } from '@azure/data-tables';
import { createGate } from './concurrency-gate';
import { groupBy } from './group-by';
import { storeCall } from './store-errors';

/** Table Storage's limit on the actions of one transaction, which must all be in one partition. */
export const TRANSACTION_LIMIT = 100;

/** `actions` cut into transactions: grouped by partition, at most 100 actions each, partitions in first-seen order. */
export function transactionsOf(actions: Iterable<TransactionAction>): TransactionAction[][] {
  const out: TransactionAction[][] = [];
  for (const group of groupBy(actions, (a) => a[1].partitionKey).values()) {
    for (let i = 0; i < group.length; i += TRANSACTION_LIMIT) out.push(group.slice(i, i + TRANSACTION_LIMIT));
  }
  return out;
}

/**
 * Submits `actions` as transactions (`transactionsOf`), `concurrency` at a time — partitions are independent — each
 * through `storeCall` under `op`. Each transaction is atomic, the whole set is not: the first failure is thrown,
 * others may have been sent (callers write idempotent actions and retry the set).
 */
export async function submitActions(
  client: TableClient,
  op: string,
  actions: Iterable<TransactionAction>,
  concurrency = 1,
): Promise<void> {
  const gate = createGate(concurrency);
  await Promise.all(
    transactionsOf(actions).map((batch) => gate(() => storeCall(op, () => client.submitTransaction(batch)))),
  );
}
