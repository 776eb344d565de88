/** License tiers, as the Marketplace plan sets them through the KEYWARD_TIER app setting. */
export const tiers = ['trial', 'professional', 'enterprise'] as const;
export type Tier = (typeof tiers)[number];

/** Features a tier can include; routes and workers check them by name. */
export const features = [
  'scan',
  'notifications',
  'webhooks',
  'audit',
  'export',
  'apiKeys',
  'rotation',
  'sync',
] as const;
export type Feature = (typeof features)[number];

export interface TierLimits {
  /** Tier order for `minTier` checks: a route needing rank r answers 403 tier_required below it. */
  readonly rank: number;
  /** `null` means unlimited. */
  readonly subscriptionLimit: number | null;
  readonly itemLimit: number | null;
  readonly webhookEnabled: boolean;
  readonly features: readonly Feature[];
  /** Rotations started by "Rotate now" per calendar month (UTC); `null` means unlimited (CertifyClouds' STARTER: 3). */
  readonly manualRotationsPerMonth: number | null;
  /** Whether the rotation timer may rotate on a record's schedule. */
  readonly automaticRotation: boolean;
}

const professionalFeatures: readonly Feature[] = [
  'scan',
  'notifications',
  'webhooks',
  'audit',
  'export',
  'apiKeys',
  'rotation',
  'sync',
];

/**
 * The one table of tier limits. The trial is the professional product for 14 days with the trial's smaller
 * limits (VaultGuard360's documented 15 subscriptions / 200 items); its pages disagree on professional limits,
 * so we take the FAQ's 30 / 2,000. Sync is in every tier (CertifyClouds: professional and enterprise); enterprise
 * lifts the limits. Rotation is CertifyClouds' model: paid tiers rotate without limit and on schedule, the trial gets
 * 3 manual rotations a month and no automatic ones.
 */
export const tierLimits: Record<Tier, TierLimits> = {
  trial: {
    rank: 1,
    subscriptionLimit: 15,
    itemLimit: 200,
    webhookEnabled: true,
    features: professionalFeatures,
    manualRotationsPerMonth: 3,
    automaticRotation: false,
  },
  professional: {
    rank: 1,
    subscriptionLimit: 30,
    itemLimit: 2000,
    webhookEnabled: true,
    features: professionalFeatures,
    manualRotationsPerMonth: null,
    automaticRotation: true,
  },
  enterprise: {
    rank: 2,
    subscriptionLimit: null,
    itemLimit: null,
    webhookEnabled: true,
    features: professionalFeatures,
    manualRotationsPerMonth: null,
    automaticRotation: true,
  },
};

export const TRIAL_DAYS = 14;

export function isTier(value: string): value is Tier {
  return (tiers as readonly string[]).includes(value);
}

/** True when `tier` may use a route declared with `minTier`. */
export function tierAllows(tier: Tier, minTier: Tier): boolean {
  return tierLimits[tier].rank >= tierLimits[minTier].rank;
}
