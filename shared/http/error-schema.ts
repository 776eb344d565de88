import { z } from 'zod';

/** The error body, as documented in the OpenAPI document (ApiError produces it). */
export const errorSchema = z
  .object({
    error: z.string().describe('Machine-readable code, e.g. invalid_request, forbidden, trial_expired.'),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    licenseUrl: z.string().optional().describe('With trial_expired: where to buy a plan.'),
    requiredTier: z.string().optional().describe('With tier_required: the tier the operation needs.'),
    quota: z.string().optional().describe('With quota_exceeded: the quota that is used up.'),
    limit: z.number().int().nullable().optional().describe('With quota_exceeded: the allowance per period.'),
    used: z.number().int().optional().describe('With quota_exceeded: the units spent this period.'),
    resetsAt: z.string().optional().describe('With quota_exceeded: when the next period starts.'),
  })
  .meta({ id: 'Error' });
