import { HttpRequest, InvocationContext, type InvocationContextInit } from '@azure/functions';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { invocationParent, traceProperties } from './trace-context';

// The SDK a test registers in place of the distro: W3C propagation and an AsyncLocalStorage context manager
// (what NodeTracerProvider.register installs), spans kept in memory.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = () => trace.getTracer('test');

beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const serviceBus = (applicationProperties: Record<string, unknown>, init: InvocationContextInit = {}) =>
  new InvocationContext({
    functionName: 'consumer',
    triggerMetadata: { applicationProperties },
    options: { trigger: { type: 'serviceBusTrigger', name: 'message', queueName: 'scan-vault' } },
    ...init,
  });

/** Runs `work` inside a producer span and returns that span's ids with what `work` returned. */
function inProducerSpan<T>(work: () => T): { traceId: string; spanId: string; value: T } {
  return tracer().startActiveSpan('producer', (span) => {
    const value = work();
    span.end();
    return { ...span.spanContext(), value };
  });
}

const parentOf = (invocation: InvocationContext, inputs: unknown[] = []) =>
  trace.getSpanContext(invocationParent(invocation, inputs));

describe('trace properties across a queue hop', () => {
  it('gives a message the producer span, and the consumer side extracts it as the parent', () => {
    const producer = inProducerSpan(() => traceProperties());
    expect(Object.keys(producer.value)).toEqual(['traceparent']);
    expect(producer.value.traceparent).toContain(producer.traceId);

    const parent = parentOf(serviceBus(producer.value));
    expect(parent).toMatchObject({ traceId: producer.traceId, spanId: producer.spanId, isRemote: true });
  });

  it('carries tracestate too, and never baggage', () => {
    const incoming = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'congo=t61rcWkgMzE',
    };
    const remote = propagation.extract(ROOT_CONTEXT, incoming);
    const withBaggage = propagation.setBaggage(remote, propagation.createBaggage({ user: { value: 'someone' } }));
    const properties = traceProperties(withBaggage);
    expect(properties).toEqual(incoming);
    expect(parentOf(serviceBus(properties))?.traceState?.get('congo')).toBe('t61rcWkgMzE');
  });

  it('is empty outside any span', () => {
    expect(traceProperties(ROOT_CONTEXT)).toEqual({});
  });

  it("honours the Service Bus SDK's Diagnostic-Id, in either casing, but prefers traceparent", () => {
    const sdk = inProducerSpan(() => traceProperties());
    const diagnosticId = sdk.value.traceparent;
    const ours = inProducerSpan(() => traceProperties());
    // The library lower-cases the first letter of each key of trigger metadata: Diagnostic-Id → diagnostic-Id.
    expect(parentOf(serviceBus({ 'diagnostic-Id': diagnosticId }))?.spanId).toBe(sdk.spanId);
    expect(parentOf(serviceBus({ 'Diagnostic-Id': diagnosticId }))?.spanId).toBe(sdk.spanId);
    expect(parentOf(serviceBus({ 'diagnostic-Id': diagnosticId, ...ours.value }))?.spanId).toBe(ours.spanId);
    // A malformed traceparent is ignored, not trusted: the Diagnostic-Id still links.
    expect(parentOf(serviceBus({ traceparent: 'garbage', 'diagnostic-Id': diagnosticId }))?.spanId).toBe(sdk.spanId);
    // An old hierarchical Request-Id style value is not a parent.
    expect(parentOf(serviceBus({ 'diagnostic-Id': '|abc.def.' }))).toBeUndefined();
  });

  it("falls back to the host's trace context, then to an HTTP caller's traceparent, else a root", () => {
    const host = inProducerSpan(() => traceProperties());
    const caller = inProducerSpan(() => traceProperties());
    const hostContext = {
      traceContext: { traceParent: host.value.traceparent, traceState: undefined, attributes: {} },
    };
    expect(parentOf(serviceBus({}, hostContext))?.spanId).toBe(host.spanId);

    const http = new InvocationContext({
      functionName: 'api',
      options: { trigger: { type: 'httpTrigger', name: 'request' } },
    });
    const request = new HttpRequest({
      method: 'GET',
      url: 'http://localhost:7071/api/stats',
      headers: { traceparent: caller.value.traceparent ?? '' },
    });
    expect(parentOf(http, [request])?.spanId).toBe(caller.spanId);
    const httpInAzure = new InvocationContext({
      functionName: 'api',
      options: { trigger: { type: 'httpTrigger', name: 'request' } },
      ...hostContext,
    });
    expect(parentOf(httpInAzure, [request])?.spanId).toBe(host.spanId);
    expect(parentOf(serviceBus({}))).toBeUndefined();
  });
});
