import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { app } from '@azure/functions';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CoreRegistry, createCoreApi } from '../../dev/host/core-api';
import { triggerOf } from '../../dev/host/function-bindings';
import { createInvocationRunner } from '../../dev/host/invocation-runner';
import { messageMetadata } from '../../dev/host/servicebus-triggers';
import { currentCorrelationId } from '../runtime/correlation';
import { registerCorrelationHook } from '../runtime/correlation-hook';
import { registerTelemetryHooks } from './invocation-spans';
import { traceProperties } from './trace-context';

// The whole path of an invocation on the local host: the real @azure/functions library registers the hooks and the
// function against the host's core module, the host's runner drives the worker's hook sequence, and the trigger
// metadata is what the host builds from a received Service Bus message. It shows that the preInvocation hook's
// replaced handler is the one that runs, as in the Azure worker.
const registry = new CoreRegistry();
const mockCore = { api: createCoreApi(registry, () => undefined) };
jest.mock('@azure/functions-core', () => mockCore.api, { virtual: true });

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

// Telemetry first, then the correlation hook (the order functions/index.ts uses): the later hook's wrapper runs
// outside the earlier one's, so the invocation's span sees the id the correlation hook gives a timer.
registerTelemetryHooks();
registerCorrelationHook();
const runner = createInvocationRunner(registry, () => undefined);

it('traces a Service Bus invocation on the local host as a child of the span that sent the message', async () => {
  const seen: { spanId?: string; body?: unknown }[] = [];
  app.serviceBusQueue('scanUnit', {
    connection: 'ServiceBusConnection',
    queueName: 'scan-vault',
    handler: async (body) => {
      seen.push({ spanId: trace.getActiveSpan()?.spanContext().spanId, body });
    },
  });
  const fn = registry.functions.get('scanUnit');
  if (!fn) throw new Error('scanUnit was not registered with the host');

  const producer = trace.getTracer('test').startActiveSpan('scanPlan', (span) => {
    const applicationProperties = traceProperties();
    span.end();
    return { ...span.spanContext(), applicationProperties };
  });
  const received = {
    body: { unitKey: 'u1' },
    messageId: 'unit-1',
    correlationId: 'corr-7',
    deliveryCount: 0,
    applicationProperties: producer.applicationProperties,
  } as unknown as ServiceBusReceivedMessage;
  exporter.reset();

  await runner.invoke(fn, {
    inputData: [{ name: triggerOf(fn).name, data: { json: JSON.stringify(received.body) } }],
    triggerMetadata: messageMetadata(received, 'scanUnit'),
  });

  const [span, ...others] = exporter.getFinishedSpans();
  expect(others).toEqual([]);
  expect(span?.name).toBe('scanUnit');
  expect(span?.spanContext().traceId).toBe(producer.traceId);
  expect(span?.parentSpanContext?.spanId).toBe(producer.spanId);
  expect(span?.attributes).toMatchObject({
    'keyward.correlation_id': 'corr-7',
    'messaging.message.id': 'unit-1',
    'messaging.servicebus.message.delivery_count': 1,
  });
  expect(seen).toEqual([{ spanId: span?.spanContext().spanId, body: { unitKey: 'u1' } }]);
});

it("gives a timer invocation's span the correlation id its handler runs under", async () => {
  const ids: (string | undefined)[] = [];
  app.timer('scanSchedule', {
    schedule: '0 0 6 * * *',
    handler: async () => {
      ids.push(currentCorrelationId());
    },
  });
  const fn = registry.functions.get('scanSchedule');
  if (!fn) throw new Error('scanSchedule was not registered with the host');
  exporter.reset();

  const timer = { Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false };
  await runner.invoke(fn, { inputData: [{ name: triggerOf(fn).name, data: { json: JSON.stringify(timer) } }] });

  const [span, ...others] = exporter.getFinishedSpans();
  expect(others).toEqual([]);
  expect(span?.name).toBe('scanSchedule');
  expect(span?.kind).toBe(SpanKind.SERVER);
  expect(span?.attributes['faas.trigger']).toBe('timer');
  expect(ids).toHaveLength(1);
  expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
  expect(span?.attributes['keyward.correlation_id']).toBe(ids[0]);
  // A root span: a timer has no producer (the local host passes no trace context of its own).
  expect(span?.parentSpanContext).toBeUndefined();
});
