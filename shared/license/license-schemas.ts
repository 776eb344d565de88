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
    /** Whether the rotation timer rotates on schedule (not on the trial). */
    automaticRotation: z.boolean(),
    /** Counted allowances and their use this period (CertifyClouds: the trial's 3 manual rotations a month). */
    quotas: z.object({
      manualRotations: z.object({
        limit: z.number().int().nullable(),
        used: z.number().int().nonnegative(),
        resetsAt: z.iso.datetime({ offset: true }),
      }),
    }),
  })
  .meta({ id: 'License' });
