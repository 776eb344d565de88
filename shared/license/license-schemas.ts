import { z } from 'zod';
import { features, tiers } from './license-tiers';

/** VaultGuard360's documented /api/license shape, plus the feature list. Limits are null when unlimited. */
export const licenseSchema = z
  .object({
    tier: z.enum(tiers),
    trialActive: z.boolean(),
    trialExpiresAt: z.iso.datetime({ offset: true }).nullable(),
    daysRemaining: z.number().int().nullable(),
    subscriptionLimit: z.number().int().nullable(),
    itemLimit: z.number().int().nullable(),
    webhookEnabled: z.boolean(),
    features: z.array(z.enum(features)),
  })
  .meta({ id: 'License' });
