/** The simulated APIs, for the request log and counters. */
export type SimApi = 'arm' | 'keyvault' | 'graph' | 'identity';
/** The APIs that take latency and fault knobs (the token endpoint always answers at once). */
export type FaultApi = Exclude<SimApi, 'identity'>;

/** Latency and fault injection for one API or one vault. Rates are probabilities in [0, 1]. */
export interface FaultKnobs {
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly error500Rate: number;
  readonly error503Rate: number;
  /** Probability of destroying the socket without a response (the SDK sees ECONNRESET). */
  readonly resetRate: number;
  readonly slowRate: number;
  readonly slowMs: number;
}

/** A token bucket: `capacity` requests in a burst, refilled at `refillPerSecond`. */
export interface BucketKnobs {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface ThrottleKnobs {
  readonly enabled: boolean;
  /**
   * Whether Key Vault's 429 carries `Retry-After`. Real Key Vault sends none (a full response is in
   * vcsjones/AzureSignTool#219; the throttling guidance tells clients to back off themselves), so neither does the
   * simulator by default; `true` keeps the header variant. ARM and Graph always send it, as they do in Azure.
   */
  readonly keyVaultRetryAfter: boolean;
  /** Key Vault: 4,000 transactions per 10 s per vault (overview-throttling). */
  readonly keyVaultPerVault: BucketKnobs;
  /** Key Vault: 5× the per-vault limit per subscription. */
  readonly keyVaultPerSubscription: BucketKnobs;
  /** ARM regional token bucket, reads: burst 250, refill 25/s, per subscription (request-limits-and-throttling). */
  readonly armReadsPerSubscription: BucketKnobs;
  /** ARM writes (PUT/PATCH/POST such as `config/appsettings/list`): 200 / 10 per s. */
  readonly armWritesPerSubscription: BucketKnobs;
  /** Graph identity and access, small tenant: 3,500 resource units per 10 s per app+tenant. */
  readonly graphResourceUnits: BucketKnobs;
  /** Graph writes: 3,000 requests per 2 min 30 s per app+tenant. */
  readonly graphWrites: BucketKnobs;
}

export interface SimKnobs {
  readonly apis: Record<FaultApi, FaultKnobs>;
  /** Overrides of the Key Vault knobs for named vaults. */
  readonly vaults: Readonly<Record<string, Partial<FaultKnobs>>>;
  readonly throttling: ThrottleKnobs;
  /** Seed of the random source that draws latency jitter and faults, so runs repeat. */
  readonly seed: number;
  /** Request-log entries kept (oldest dropped first). */
  readonly maxLogEntries: number;
  /** Page size of ARM collections (subscriptions, vaults, ARM-plane secrets, sites); `$top` can lower it. */
  readonly armPageSize: number;
  /**
   * Key Vault list paging. `azure` (default) pages as the service is seen to: the first page can be empty and
   * still carry a nextLink, later pages hold fewer than `maxresults` while more remain, and the nextLink is an
   * absolute URL with an explicit port and the service's own api-version (7.5), not the one the client sent.
   * `plain` fills every page to `maxresults`.
   */
  readonly keyVaultPaging: 'azure' | 'plain';
  /**
   * Graph answers `GET /applications/{id}/owners` with 403 Authorization_RequestDenied while the applications still
   * list: Graph's refusal of a read the app is not granted, for the scan's "owners unknown" path (the permission
   * model alone cannot split the two reads: both need Application.Read.All, see tenant-schema `graphPermissions`).
   */
  readonly refuseApplicationOwners: boolean;
}

export const noFaults: FaultKnobs = {
  latencyMs: 0,
  jitterMs: 0,
  error500Rate: 0,
  error503Rate: 0,
  resetRate: 0,
  slowRate: 0,
  slowMs: 0,
};

export const defaultKnobs: SimKnobs = {
  apis: { arm: noFaults, keyvault: noFaults, graph: noFaults },
  vaults: {},
  throttling: {
    enabled: true,
    keyVaultRetryAfter: false,
    keyVaultPerVault: { capacity: 4000, refillPerSecond: 400 },
    keyVaultPerSubscription: { capacity: 20000, refillPerSecond: 2000 },
    armReadsPerSubscription: { capacity: 250, refillPerSecond: 25 },
    armWritesPerSubscription: { capacity: 200, refillPerSecond: 10 },
    graphResourceUnits: { capacity: 3500, refillPerSecond: 350 },
    graphWrites: { capacity: 3000, refillPerSecond: 20 },
  },
  seed: 1,
  maxLogEntries: 50_000,
  armPageSize: 25,
  keyVaultPaging: 'azure',
  refuseApplicationOwners: false,
};

/**
 * A knobs update: any section, any API, any field. It is wider than `Partial<SimKnobs>`, so both forms are accepted.
 * `vaults[name]` replaces that vault's previous override.
 */
export interface SimKnobsPatch {
  readonly apis?: Partial<Record<FaultApi, Partial<FaultKnobs>>>;
  readonly vaults?: Readonly<Record<string, Partial<FaultKnobs>>>;
  readonly throttling?: Partial<ThrottleKnobs>;
  readonly seed?: number;
  readonly maxLogEntries?: number;
  readonly armPageSize?: number;
  readonly keyVaultPaging?: 'azure' | 'plain';
  readonly refuseApplicationOwners?: boolean;
}

/** Merges an update field by field, so `{ apis: { graph: { error500Rate: 1 } } }` keeps everything else. */
export function mergeKnobs(base: SimKnobs, patch: SimKnobsPatch): SimKnobs {
  const apis = { ...base.apis };
  for (const [api, k] of Object.entries(patch.apis ?? {}) as [FaultApi, Partial<FaultKnobs>][]) {
    apis[api] = { ...base.apis[api], ...k };
  }
  return {
    apis,
    vaults: { ...base.vaults, ...patch.vaults },
    throttling: { ...base.throttling, ...patch.throttling },
    seed: patch.seed ?? base.seed,
    maxLogEntries: patch.maxLogEntries ?? base.maxLogEntries,
    armPageSize: patch.armPageSize ?? base.armPageSize,
    keyVaultPaging: patch.keyVaultPaging ?? base.keyVaultPaging,
    refuseApplicationOwners: patch.refuseApplicationOwners ?? base.refuseApplicationOwners,
  };
}

/** mulberry32: a tiny seeded PRNG, enough for reproducible fault draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One bucket a request draws from. */
export interface BucketDraw {
  readonly key: string;
  readonly limit: BucketKnobs;
  readonly cost: number;
}

/**
 * Token buckets keyed by name. `take` draws from every bucket or from none, and answers 0 when allowed,
 * else the seconds until all of them can pay (the Retry-After). Buckets run on wall time: clients wait
 * real seconds before retrying.
 */
export function createBuckets(nowMs: () => number = () => Date.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  function refill(draw: BucketDraw, now: number): { tokens: number; at: number } {
    const b = buckets.get(draw.key) ?? { tokens: draw.limit.capacity, at: now };
    b.tokens = Math.min(draw.limit.capacity, b.tokens + ((now - b.at) / 1000) * draw.limit.refillPerSecond);
    b.at = now;
    buckets.set(draw.key, b);
    return b;
  }
  function take(draws: readonly BucketDraw[]): number {
    const now = nowMs();
    const state = draws.map((d) => ({ d, b: refill(d, now) }));
    const wait = Math.max(
      0,
      ...state.map(({ d, b }) => (b.tokens >= d.cost ? 0 : (d.cost - b.tokens) / d.limit.refillPerSecond)),
    );
    // A throttled request does not count against the limit (Key Vault documents this).
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    for (const { d, b } of state) b.tokens -= d.cost;
    return 0;
  }
  return { take };
}
