import { metrics, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';

/**
 * Keyward's own metrics, one small function each, over the `keyward` meter. Without a registered SDK (no
 * APPLICATIONINSIGHTS_CONNECTION_STRING) the global meter is the API's no-op one and every call costs nothing.
 * Attribute values come from short fixed lists (outcomes, channels, services, entity names), never from ids, so
 * each metric keeps a handful of series.
 */
interface Instruments {
  readonly scanDuration: Histogram;
  readonly scanItems: Counter;
  readonly scanVaults: Counter;
  readonly vaultRequests: Histogram;
  readonly throttled: Counter;
  readonly deliveries: Counter;
  readonly deadLettered: Counter;
}

/** The Azure services whose 429s the scan counts. */
export type ThrottledService = 'keyvault' | 'arm' | 'graph' | 'other';

let built: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The API's global meter is not a proxy (unlike its tracer): a meter taken before the SDK registers stays a no-op.
 * So the instruments are rebuilt whenever the global provider changes, and built at most once per provider.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (built?.provider === provider) return built.instruments;
  const meter = provider.getMeter('keyward');
  const made: Instruments = {
    scanDuration: meter.createHistogram('keyward.scan.duration', {
      description: 'Time from a scan being planned to its close.',
      unit: 's',
      advice: { explicitBucketBoundaries: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200] },
    }),
    scanItems: meter.createCounter('keyward.scan.items', {
      description: 'Items (secrets, certificates, keys, app credentials) found by completed scans.',
      unit: '{item}',
    }),
    scanVaults: meter.createCounter('keyward.scan.vaults', {
      description: 'Vaults scanned, by outcome (ok, throttled, forbidden, firewalled, failed, ...).',
      unit: '{vault}',
    }),
    vaultRequests: meter.createHistogram('keyward.scan.vault.requests', {
      description: 'HTTP attempts one vault unit took (Key Vault and its ARM fallback), retries included.',
      unit: '{request}',
      advice: { explicitBucketBoundaries: [1, 3, 5, 10, 25, 50, 100, 250, 500, 1000, 2500] },
    }),
    throttled: meter.createCounter('keyward.scan.throttled', {
      description: '429 answers the scan got, by service.',
      unit: '{response}',
    }),
    deliveries: meter.createCounter('keyward.notify.deliveries', {
      description: 'Notification delivery attempts, by channel and outcome (sent, retrying, failed, dead_lettered).',
      unit: '{delivery}',
    }),
    deadLettered: meter.createCounter('keyward.servicebus.dead_lettered', {
      description: 'Messages moved to a dead-letter queue, by queue or subscription.',
      unit: '{message}',
    }),
  };
  built = { provider, instruments: made };
  return made;
}

export interface ScanCompletedMetrics {
  readonly durationSeconds: number;
  /** Items the scan holds at its close. */
  readonly items: number;
  /** Vault units per outcome, e.g. `{ ok: 40, throttled: 2, forbidden: 1 }`. */
  readonly vaultsByOutcome: Readonly<Record<string, number>>;
}

/** Once per scan, when it closes. */
export function recordScanCompleted(scan: ScanCompletedMetrics): void {
  const i = instruments();
  i.scanDuration.record(Math.max(0, scan.durationSeconds));
  if (scan.items > 0) i.scanItems.add(scan.items);
  for (const [outcome, count] of Object.entries(scan.vaultsByOutcome)) {
    if (count > 0) i.scanVaults.add(count, { 'keyward.outcome': outcome });
  }
}

/** Once per vault unit that reached an outcome. */
export function recordVaultRequests(count: number): void {
  instruments().vaultRequests.record(Math.max(0, count));
}

/** Each 429 answer, as the HTTP pipeline sees it (so the SDK's own retries count too). */
export function recordThrottled(service: ThrottledService): void {
  instruments().throttled.add(1, { 'keyward.service': service });
}

/** Each delivery attempt's recorded outcome. */
export function recordDelivery(channel: string, outcome: string): void {
  instruments().deliveries.add(1, { 'keyward.channel': channel, 'keyward.outcome': outcome });
}

/** `entity` is a queue name or `<topic>/subscriptions/<subscription>`. */
export function recordDeadLettered(entity: string, count: number): void {
  if (count > 0) instruments().deadLettered.add(count, { 'messaging.destination.name': entity });
}
