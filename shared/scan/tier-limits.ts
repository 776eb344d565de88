/**
 * The license tier's subscription and item limits, applied in a fixed order so the same estate always keeps the
 * same items: subscriptions by id; items by partition (vaults of each subscription by name, then the app
 * registrations) and within it by type and name. What falls outside the limit is reported, never silently dropped.
 */
export interface SubscriptionRef {
  readonly subscriptionId: string;
  readonly displayName: string;
}

export interface SubscriptionSelection<S extends SubscriptionRef> {
  readonly included: S[];
  readonly skipped: S[];
}

export function selectSubscriptions<S extends SubscriptionRef>(
  subscriptions: readonly S[],
  limit: number | null,
): SubscriptionSelection<S> {
  const sorted = [...subscriptions].sort((a, b) =>
    compare(a.subscriptionId.toLowerCase(), b.subscriptionId.toLowerCase()),
  );
  if (limit === null || sorted.length <= limit) return { included: sorted, skipped: [] };
  return { included: sorted.slice(0, limit), skipped: sorted.slice(limit) };
}

export interface EstateSelection<S extends SubscriptionRef> extends SubscriptionSelection<S> {
  /** Included now for the first time: to be recorded as granted before the scan uses them. */
  readonly newlyGranted: S[];
}

/**
 * The limit applied to the estate: subscriptions granted before (by any earlier scan, filtered or not) stay
 * included, and new ones are admitted by id only while the licence has room. `granted` holds lower-case ids.
 */
export function selectForEstate<S extends SubscriptionRef>(
  subscriptions: readonly S[],
  limit: number | null,
  granted: ReadonlySet<string>,
): EstateSelection<S> {
  if (limit === null) return { ...selectSubscriptions(subscriptions, null), newlyGranted: [] };
  const sorted = selectSubscriptions(subscriptions, null).included;
  const isGranted = (s: S): boolean => granted.has(s.subscriptionId.toLowerCase());
  const known = sorted.filter(isGranted).slice(0, limit);
  const newlyGranted = sorted.filter((s) => !isGranted(s)).slice(0, Math.max(0, limit - granted.size));
  const included = new Set([...known, ...newlyGranted]);
  return {
    included: sorted.filter((s) => included.has(s)),
    skipped: sorted.filter((s) => !included.has(s)),
    newlyGranted,
  };
}

export interface LimitedItem {
  readonly id: string;
  readonly partition: string;
  readonly row: string;
}

/** App registration partitions sort after every vault partition. */
const partitionOrder = (partition: string): string => (partition.startsWith('entra_') ? `~${partition}` : partition);

/** Ids of the items beyond `limit` in the deterministic order (empty when unlimited or under the limit). */
export function itemsOverLimit(items: readonly LimitedItem[], limit: number | null): Set<string> {
  if (limit === null || items.length <= limit) return new Set();
  const sorted = [...items].sort(
    (a, b) => compare(partitionOrder(a.partition), partitionOrder(b.partition)) || compare(a.row, b.row),
  );
  return new Set(sorted.slice(limit).map((i) => i.id));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
