import type { InvocationContext } from '@azure/functions';
import { context, propagation, ROOT_CONTEXT, trace, type Context, type TextMapGetter } from '@opentelemetry/api';
import { requestHeadersOf } from './invocation-attributes';

/**
 * Carries a trace across queue hops with the W3C Trace Context fields, read and written by the registered
 * propagator (the distro registers the W3C one); nothing here formats or parses a traceparent itself.
 */

const W3C_FIELDS = ['traceparent', 'tracestate'] as const;

/**
 * `{ traceparent, tracestate? }` of the active span, for a producer to put into a Service Bus message's
 * `applicationProperties`; empty when no span is active or no SDK is registered (telemetry off).
 */
export function traceProperties(active: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  // Only the trace fields: a composite propagator would add baggage, which has no place in a message.
  const out: Record<string, string> = {};
  for (const field of W3C_FIELDS) if (carrier[field]) out[field] = carrier[field];
  return out;
}

type Carrier = ReadonlyMap<string, string>;

const mapGetter: TextMapGetter<Carrier> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key.toLowerCase()),
};

/** The context a `traceparent` (and `tracestate`) describe, if they hold a valid remote span context. */
function extracted(traceparent: string | undefined, tracestate?: string | null): Context | undefined {
  if (!traceparent) return undefined;
  const carrier = new Map([['traceparent', traceparent]]);
  if (tracestate) carrier.set('tracestate', tracestate);
  const found = propagation.extract(ROOT_CONTEXT, carrier, mapGetter);
  const span = trace.getSpanContext(found);
  return span && trace.isSpanContextValid(span) ? found : undefined;
}

/** String entries with lower-cased keys: the library lower-cases only the first letter (`diagnostic-Id`). */
function lowerCased(record: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return out;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string') out.set(key.toLowerCase(), value);
  }
  return out;
}

/** The message's own `traceparent` (from `traceProperties`), else the `Diagnostic-Id` the Service Bus SDK sets. */
function fromMessage(invocation: InvocationContext): Context | undefined {
  const props = lowerCased(invocation.triggerMetadata?.applicationProperties);
  // Diagnostic-Id is W3C-formatted when the sender traced with OpenTelemetry; an older hierarchical id is refused.
  return extracted(props.get('traceparent'), props.get('tracestate')) ?? extracted(props.get('diagnostic-id'));
}

/** The Functions host's own span for this invocation, which it passes to the worker (not the local host). */
function fromHost(invocation: InvocationContext): Context | undefined {
  return extracted(invocation.traceContext?.traceParent, invocation.traceContext?.traceState);
}

/** An HTTP request's `traceparent` header. */
function fromRequest(invocation: InvocationContext, inputs: readonly unknown[]): Context | undefined {
  const headers = requestHeadersOf(invocation, inputs);
  return extracted(headers?.get('traceparent') ?? undefined, headers?.get('tracestate'));
}

/**
 * The parent of an invocation's span: the producer's span for a Service Bus message (so the consumer is its child,
 * across the queue hop), else the host's span, else an HTTP caller's; the root context when none is known.
 */
export function invocationParent(invocation: InvocationContext, inputs: readonly unknown[]): Context {
  return fromMessage(invocation) ?? fromHost(invocation) ?? fromRequest(invocation, inputs) ?? ROOT_CONTEXT;
}
