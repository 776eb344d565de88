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
    neverScanned: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('directory'),
    scanId: z.string().min(1).max(100),
    unitKey: z.string().min(1).max(200),
    tenantId: z.string().min(1).max(100),
  }),
]);
