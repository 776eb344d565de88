import type { PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { budgetPolicy } from '../cloud/budget-policy';
import { DeliveryError } from '../notify/delivery-errors';
import type { DeliveryStore } from '../notify/delivery-store';
import { createDeliveryWorker } from '../notify/delivery-worker';
import { deliveryMessageSchema } from '../notify/notify-schemas';
import type { RequestBudget } from '../scan/request-budget';
import {
  recordDeadLettered,
  recordDelivery,
  recordScanCompleted,
  recordThrottled,
  recordVaultRequests,
} from './keyward-metrics';

/** An in-memory reader: `collect()` reads what the instruments hold, with no export timer. */
class InMemoryReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

let reader: InMemoryReader;

/** Replaces the global meter provider with a fresh SDK one that reads into `reader`. */
function registerSdk(): void {
  metrics.disable();
  reader = new InMemoryReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
}

beforeEach(registerSdk);

afterAll(() => metrics.disable());

async function points(name: string): Promise<DataPoint<unknown>[]> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
}

/** Each point as `attributes → value`, to compare without caring about order. */
async function sums(name: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await points(name)).map((p) => [JSON.stringify(p.attributes), p.value]));
}

describe('keyward metrics', () => {
  it('records a completed scan: its duration, items and vaults per outcome', async () => {
    recordScanCompleted({ durationSeconds: 42.5, items: 310, vaultsByOutcome: { ok: 40, throttled: 2, failed: 0 } });
    recordScanCompleted({ durationSeconds: 7, items: 5, vaultsByOutcome: { ok: 1 } });

    const [duration] = await points('keyward.scan.duration');
    expect(duration?.value).toMatchObject({ count: 2, sum: 49.5 });
    expect(await sums('keyward.scan.items')).toEqual({ '{}': 315 });
    // A zero count adds no series.
    expect(await sums('keyward.scan.vaults')).toEqual({
      '{"keyward.outcome":"ok"}': 41,
      '{"keyward.outcome":"throttled"}': 2,
    });
  });

  it('records requests per vault as a histogram', async () => {
    recordVaultRequests(3);
    recordVaultRequests(120);
    const [point] = await points('keyward.scan.vault.requests');
    const histogram = point?.value as Histogram;
    expect(histogram).toMatchObject({ count: 2, sum: 123, min: 3, max: 120 });
  });

  it('counts 429s per service, deliveries per channel and outcome, and dead-lettered messages per entity', async () => {
    recordThrottled('keyvault');
    recordThrottled('keyvault');
    recordThrottled('graph');
    recordDelivery('webhook', 'sent');
    recordDelivery('webhook', 'retrying');
    recordDelivery('email', 'sent');
    recordDeadLettered('notify-slack', 2);
    recordDeadLettered('scan-events/subscriptions/notify', 1);
    recordDeadLettered('notify-slack', 0);

    expect(await sums('keyward.scan.throttled')).toEqual({
      '{"keyward.service":"keyvault"}': 2,
      '{"keyward.service":"graph"}': 1,
    });
    expect(await sums('keyward.notify.deliveries')).toEqual({
      '{"keyward.channel":"webhook","keyward.outcome":"sent"}': 1,
      '{"keyward.channel":"webhook","keyward.outcome":"retrying"}': 1,
      '{"keyward.channel":"email","keyward.outcome":"sent"}': 1,
    });
    expect(await sums('keyward.servicebus.dead_lettered')).toEqual({
      '{"messaging.destination.name":"notify-slack"}': 2,
      '{"messaging.destination.name":"scan-events/subscriptions/notify"}': 1,
    });
  });

  it('costs nothing and throws nothing without an SDK (telemetry off)', async () => {
    metrics.disable();
    recordScanCompleted({ durationSeconds: 1, items: 1, vaultsByOutcome: { ok: 1 } });
    recordThrottled('arm');
    // Registered afterwards, the SDK sees only what comes after it: the instruments follow the provider.
    registerSdk();
    recordThrottled('arm');
    expect(await sums('keyward.scan.throttled')).toEqual({ '{"keyward.service":"arm"}': 1 });
    expect(await points('keyward.scan.items')).toEqual([]);
  });
});

describe('where the scan and the notifications record', () => {
  const budget: RequestBudget = { acquire: async () => undefined, pause: () => undefined, peak: () => 0 };
  const answer = (status: number) => async (): Promise<PipelineResponse> =>
    ({ status, headers: { get: () => undefined } }) as unknown as PipelineResponse;
  const rule = { limit: 10, windowMs: 10_000 };

  it("counts every 429 the scan's request budget policy sees, by the service its keys name", async () => {
    const vault = budgetPolicy(
      budget,
      [
        { key: 'kv/vault-1', rule },
        { key: 'kvsub/sub-1', rule },
      ],
      () => 0,
    );
    const arm = budgetPolicy(budget, [{ key: 'arm/sub-1', rule }], () => 0);
    const graph = budgetPolicy(budget, [{ key: 'graph', rule }], () => 0);
    const request = {} as PipelineRequest;
    await vault.sendRequest(request, answer(429));
    await vault.sendRequest(request, answer(200));
    await vault.sendRequest(request, answer(503));
    await arm.sendRequest(request, answer(429));
    await graph.sendRequest(request, answer(429));
    await graph.sendRequest(request, answer(429));
    expect(await sums('keyward.scan.throttled')).toEqual({
      '{"keyward.service":"keyvault"}': 1,
      '{"keyward.service":"arm"}': 1,
      '{"keyward.service":"graph"}': 2,
    });
  });

  it('records each delivery attempt with its channel and outcome as the worker records it', async () => {
    let failure: DeliveryError | null = null;
    const store = {
      claim: async () => 'claimed' as const,
      finish: async () => undefined,
    } as unknown as DeliveryStore;
    const handle = createDeliveryWorker({
      deliveries: store,
      resolveTarget: async () => ({ channel: 'webhook', url: 'https://example.test/hook', secret: 'whsec_x' }) as never,
      send: async () => {
        if (failure) throw failure;
      },
      audit: null,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      log: { info: () => undefined, warn: () => undefined },
      retry: { maxAttempts: 3, baseSeconds: 1, maxSeconds: 1 },
      sleep: async () => undefined,
    });
    const message = deliveryMessageSchema.parse({
      v: 1,
      deliveryKey: 'd1',
      channel: 'webhook',
      destination: { kind: 'channel', channel: 'webhook' },
      alertType: 'scan_completed',
      teamName: 'platform',
      scanId: 's1',
      createdAt: '2026-01-01T00:00:00Z',
      events: [],
    });

    await expect(handle(message, 1)).resolves.toBe('sent');
    failure = new DeliveryError('Endpoint answered HTTP 503', true);
    await expect(handle(message, 1)).rejects.toThrow('left for redelivery');
    await expect(handle(message, 3)).rejects.toThrow('left for redelivery');
    failure = new DeliveryError('Endpoint answered HTTP 404', false);
    await expect(handle(message, 1)).resolves.toBe('failed');

    expect(await sums('keyward.notify.deliveries')).toEqual({
      '{"keyward.channel":"webhook","keyward.outcome":"sent"}': 1,
      '{"keyward.channel":"webhook","keyward.outcome":"retrying"}': 1,
      '{"keyward.channel":"webhook","keyward.outcome":"dead_lettered"}': 1,
      '{"keyward.channel":"webhook","keyward.outcome":"failed"}': 1,
    });
  });
});
