import { z } from 'zod';

/** Queue message bodies, parsed first by each worker: a malformed message is not retryable. */
export const planMessageSchema = z.object({ scanId: z.string().min(1).max(100) });

const tags = z.record(z.string(), z.string());

export const unitMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('vault'),
    scanId: z.string().min(1).max(100),
    unitKey: z.string().min(1).max(200),
    subscriptionId: z.string().min(1).max(100),
    subscriptionName: z.string().max(200),
    vaultName: z.string().min(1).max(100),
    vaultId: z.string().max(1000),
    vaultUri: z.url(),
    resourceGroup: z.string().max(200),
    vaultTags: tags,
    networkRestricted: z.boolean(),
  }),
  z.object({
    kind: z.literal('directory'),
    scanId: z.string().min(1).max(100),
    unitKey: z.string().min(1).max(200),
    tenantId: z.string().min(1).max(100),
  }),
]);

/** A small counting gate: at most `limit` vault scans run at once in this process. */
export function createGate(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
