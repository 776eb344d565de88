import {
  HttpRequest,
  InvocationContext,
  PostInvocationContext,
  PreInvocationContext,
  type FunctionHandler,
  type InvocationContextInit,
} from '@azure/functions';
import { context, metrics, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { endInvocationSpan, startInvocationSpan } from './invocation-spans';
import { traceProperties } from './trace-context';

// In place of the distro: an in-memory span exporter behind NodeTracerProvider (AsyncLocalStorage context manager,
// W3C propagator) and an in-memory metric reader.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

class InMemoryReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}
const reader = new InMemoryReader();

beforeAll(() => {
  provider.register();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
beforeEach(() => exporter.reset());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
  metrics.disable();
});

/** Runs `handler` the way the worker does: preInvocation hooks, the (possibly replaced) handler, postInvocation. */
async function invoke(invocation: InvocationContext, inputs: unknown[], handler: FunctionHandler): Promise<unknown> {
  const pre = new PreInvocationContext({ invocationContext: invocation, inputs, functionCallback: handler });
  startInvocationSpan(pre);
  let result: unknown;
  let error: unknown;
  try {
    result = await pre.functionHandler(pre.inputs[0], invocation);
  } catch (caught) {
    error = caught;
  }
  endInvocationSpan(
    new PostInvocationContext({ invocationContext: invocation, inputs, result, error, hookData: pre.hookData }),
  );
  if (error) throw error;
  return result;
}

const message = (
  functionName: string,
  queueName: string,
  metadata: Record<string, unknown>,
  init: InvocationContextInit = {},
) =>
  new InvocationContext({
    invocationId: 'inv-1',
    functionName,
    triggerMetadata: metadata,
    options: { trigger: { type: 'serviceBusTrigger', name: 'message', queueName } },
    ...init,
  });

const onlySpan = () => {
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  const [span] = spans;
  if (!span) throw new Error('no span');
  return span;
};

async function deadLettered(): Promise<unknown[]> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === 'keyward.servicebus.dead_lettered');
  return (metric?.dataPoints ?? []).map((p) => [p.attributes['messaging.destination.name'], p.value]);
}

describe('a span per invocation', () => {
  it('names the span for the function, describes the message and runs the handler inside it', async () => {
    const invocation = message('scanUnit', 'scan-vault', {
      correlationId: 'corr-42',
      messageId: 'm-1',
      deliveryCount: 2,
    });
    let active: string | undefined;
    await invoke(invocation, [{ scanId: 's' }], async () => {
      active = trace.getActiveSpan()?.spanContext().spanId;
      trace.getTracer('test').startSpan('child').end();
    });

    const spans = exporter.getFinishedSpans();
    const span = spans.find((s) => s.name === 'scanUnit');
    const child = spans.find((s) => s.name === 'child');
    expect(spans).toHaveLength(2);
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.attributes).toMatchObject({
      'faas.trigger': 'pubsub',
      'faas.invocation_id': 'inv-1',
      'ai.operation.name': 'scanUnit',
      'keyward.correlation_id': 'corr-42',
      'messaging.system': 'servicebus',
      'messaging.destination.name': 'scan-vault',
      'messaging.message.id': 'm-1',
      'messaging.servicebus.message.delivery_count': 2,
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(active).toBe(span?.spanContext().spanId);
    expect(child?.parentSpanContext?.spanId).toBe(span?.spanContext().spanId);
  });

  it('marks the span ERROR with the exception when the handler throws', async () => {
    const invocation = message('scanPlan', 'scan-plan', { deliveryCount: 1 });
    await expect(
      invoke(invocation, [{}], () => {
        throw new TypeError('plan failed');
      }),
    ).rejects.toThrow('plan failed');

    const span = onlySpan();
    expect(span.name).toBe('scanPlan');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'TypeError' });
    expect(span.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
      ['exception', 'plan failed'],
    ]);
    expect(span.ended).toBe(true);
  });

  it("makes the consumer's span a child of the producer's span across the queue hop", async () => {
    const producer = trace.getTracer('test').startActiveSpan('producer', (span) => {
      const properties = traceProperties();
      span.end();
      return { ...span.spanContext(), properties };
    });
    exporter.reset();

    await invoke(
      message('notifyWebhook', 'notify-webhook', { applicationProperties: producer.properties }),
      [{}],
      async () => undefined,
    );
    const consumer = onlySpan();
    expect(consumer.spanContext().traceId).toBe(producer.traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanId);
  });

  it('counts a message dead-lettered when its last allowed delivery fails, and only then', async () => {
    const fail = () => Promise.reject(new Error('still failing'));
    // notify-webhook allows 6 deliveries (shared/config/queues.ts).
    await expect(
      invoke(message('notifyWebhook', 'notify-webhook', { deliveryCount: 5 }), [{}], fail),
    ).rejects.toThrow();
    expect(await deadLettered()).toEqual([]);
    await invoke(message('notifyWebhook', 'notify-webhook', { deliveryCount: 6 }), [{}], async () => undefined);
    expect(await deadLettered()).toEqual([]);
    await expect(
      invoke(message('notifyWebhook', 'notify-webhook', { deliveryCount: 6 }), [{}], fail),
    ).rejects.toThrow();
    expect(await deadLettered()).toEqual([['notify-webhook', 1]]);
  });

  describe('HTTP', () => {
    const http = () =>
      new InvocationContext({
        functionName: 'getStats',
        options: { trigger: { type: 'httpTrigger', name: 'request' } },
      });
    const request = (headers: Record<string, string> = {}) =>
      new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/stats', headers });

    it("takes the caller's x-correlation-id and the answer's status", async () => {
      await invoke(http(), [request({ 'x-correlation-id': 'caller-id' })], async () => ({ status: 200 }));
      const span = onlySpan();
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.attributes).toMatchObject({
        'faas.trigger': 'http',
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'keyward.correlation_id': 'caller-id',
      });
    });

    it('takes the id the pipeline answered with when the caller sent none or an unsafe one', async () => {
      await invoke(http(), [request({ 'x-correlation-id': 'bad id with spaces' })], async () => ({
        status: 500,
        headers: { 'x-correlation-id': 'generated-1' },
      }));
      const span = onlySpan();
      expect(span.attributes['keyward.correlation_id']).toBe('generated-1');
      // The pipeline answers 500 instead of throwing; the trace still shows a failure.
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
    });
  });
});
