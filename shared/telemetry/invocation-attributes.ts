import type { InvocationContext } from '@azure/functions';
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { isCorrelationId } from '../runtime/correlation';
import { correlationOfTrigger } from '../runtime/correlation-hook';
import { serviceBusEntityOf } from './service-bus-entity';

/**
 * What an invocation's span says about its trigger, with OpenTelemetry's semantic-convention names where one exists.
 * Never a header value, a body or a URL (they may carry keys): only ids, counts and names from fixed lists.
 */

export const CORRELATION_ID = 'keyward.correlation_id';

/** A correlation id in the shape the app trusts (opaque, bounded, printable), else undefined. */
export function correlationIdOf(value: unknown): string | undefined {
  return isCorrelationId(value) ? value : undefined;
}

interface HeaderReader {
  get(name: string): string | null;
}

/** The request headers of an HTTP invocation (its first input is the HttpRequest); undefined for other triggers. */
export function requestHeadersOf(invocation: InvocationContext, inputs: readonly unknown[]): HeaderReader | undefined {
  if (invocation.options.trigger.type !== 'httpTrigger') return undefined;
  const headers = (inputs[0] as { headers?: Partial<HeaderReader> } | undefined)?.headers;
  return typeof headers?.get === 'function' ? (headers as HeaderReader) : undefined;
}

/** `faas.trigger` of the semantic conventions. */
function faasTrigger(type: string): string {
  if (type === 'httpTrigger') return 'http';
  if (type === 'timerTrigger') return 'timer';
  if (type === 'serviceBusTrigger' || type === 'eventHubTrigger' || type === 'queueTrigger') return 'pubsub';
  return 'other';
}

/** An invocation is incoming work: a message is consumed, anything else (HTTP, timer) is served. */
export function spanKindOf(invocation: InvocationContext): SpanKind {
  return invocation.options.trigger.type === 'serviceBusTrigger' ? SpanKind.CONSUMER : SpanKind.SERVER;
}

/** Attributes known before the handler runs. */
export function invocationAttributes(invocation: InvocationContext, inputs: readonly unknown[]): Attributes {
  const trigger = invocation.options.trigger;
  const attributes: Attributes = {
    'faas.trigger': faasTrigger(trigger.type),
    'faas.invocation_id': invocation.invocationId,
    'keyward.trigger': trigger.type,
  };
  const metadata = invocation.triggerMetadata ?? {};
  const entity = serviceBusEntityOf(trigger);
  if (entity) {
    // Application Insights names the request of a consumer span only from this attribute (a server span by its name).
    attributes['ai.operation.name'] = invocation.functionName;
    attributes['messaging.system'] = 'servicebus';
    attributes['messaging.operation.type'] = 'process';
    attributes['messaging.destination.name'] = entity.destination;
    if (entity.subscription) attributes['messaging.destination.subscription.name'] = entity.subscription;
    if (typeof metadata.messageId === 'string') attributes['messaging.message.id'] = metadata.messageId;
    const deliveryCount = Number(metadata.deliveryCount);
    if (Number.isInteger(deliveryCount)) attributes['messaging.servicebus.message.delivery_count'] = deliveryCount;
  }
  const headers = requestHeadersOf(invocation, inputs);
  const method = (inputs[0] as { method?: unknown } | undefined)?.method;
  if (headers && typeof method === 'string') attributes['http.request.method'] = method;
  // The same rule as the correlation hook for messages; for HTTP the caller's header (the answer may replace it).
  const correlationId = correlationOfTrigger(metadata) ?? correlationIdOf(headers?.get('x-correlation-id'));
  if (correlationId) attributes[CORRELATION_ID] = correlationId;
  return attributes;
}
