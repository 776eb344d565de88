import { z } from 'zod';
import { tiers } from '../license/license-tiers';

const check = z.enum(['reachable', 'unreachable']);

export const healthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    version: z.string(),
    tier: z.enum(tiers),
    identity: z.enum(['configured', 'not_configured']).describe('Whether a managed identity is configured.'),
    checks: z.object({ tableStorage: check, blobStorage: check, serviceBus: check }),
  })
  .meta({ id: 'Health' });

export const versionSchema = z.object({ version: z.string() }).meta({ id: 'Version' });
