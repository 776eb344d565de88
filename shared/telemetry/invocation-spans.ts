import {
  app,
  type FunctionHandler,
  type HttpResponseInit,
  type PostInvocationContext,
  type PreInvocationContext,
} from '@azure/functions';
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { currentCorrelationId } from '../runtime/correlation';
import { CORRELATION_ID, correlationIdOf, invocationAttributes, spanKindOf } from './invocation-attributes';
import { recordDeadLettered } from './keyward-metrics';
import { serviceBusEntityOf } from './service-bus-entity';
import { invocationParent } from './trace-context';

/**
 * One span per invocation, named for the function: started before the handler, which then runs with it active (so
 * SDK calls and messages it sends are its children), and ended after it with the invocation's final outcome.
 * Without a registered SDK the tracer is the API's no-op one.
 */

/** hookData key, unique to these hooks (hookData is shared by every hook of the invocation). */
const SPAN = 'keywardTelemetrySpan';

const tracer = () => trace.getTracer('keyward');

/** preInvocation: starts the span and makes the handler run inside it. */
export function startInvocationSpan(hook: PreInvocationContext): void {
  const invocation = hook.invocationContext;
  const parent = invocationParent(invocation, hook.inputs);
  const span = tracer().startSpan(
    invocation.functionName,
    { kind: spanKindOf(invocation), attributes: invocationAttributes(invocation, hook.inputs) },
    parent,
  );
  hook.hookData[SPAN] = span;
  const active = trace.setSpan(parent, span);
  const handler = hook.functionHandler;
  // The worker passes the replaced handler to invokeFunction (platform-notes §2.3); the local host does the same.
  hook.functionHandler = ((...args: Parameters<FunctionHandler>) =>
    context.with(active, () => {
      // A timer's id is made by the correlation hook; it is visible here when that hook's wrapper runs outside this one.
      const correlationId = currentCorrelationId();
      if (correlationId) span.setAttribute(CORRELATION_ID, correlationId);
      return handler(...args);
    })) as FunctionHandler;
}

/** postInvocation: the outcome after every handler and hook ran, then the end of the span. */
export function endInvocationSpan(hook: PostInvocationContext): void {
  const span = hook.hookData[SPAN] as Span | undefined;
  if (!span) return;
  const invocation = hook.invocationContext;
  const failed = hook.error !== undefined && hook.error !== null;
  if (failed) {
    const error = hook.error instanceof Error ? hook.error : new Error(String(hook.error));
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
    deadLetterIfLast(hook);
  }
  if (invocation.options.trigger.type === 'httpTrigger') {
    const response = (hook.result ?? {}) as HttpResponseInit;
    const status = response.status ?? 200;
    span.setAttribute('http.response.status_code', status);
    // The pipeline answers 5xx instead of throwing: still a failed invocation for the trace.
    if (!failed && status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    // The pipeline's answer names the id it used (the caller's, or a new one when the caller sent none or a bad one).
    const answered = correlationIdOf(headerOf(response.headers, 'x-correlation-id'));
    if (answered) span.setAttribute(CORRELATION_ID, answered);
  }
  span.end();
}

/** A response header from a plain record (what Keyward's routes return) or a Headers object. */
function headerOf(headers: HttpResponseInit['headers'], name: string): unknown {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  return (headers as Record<string, unknown>)[name];
}

/** A Service Bus message that failed its last allowed delivery is dead-lettered by the broker. */
function deadLetterIfLast(hook: PostInvocationContext): void {
  const entity = serviceBusEntityOf(hook.invocationContext.options.trigger);
  const deliveryCount = Number(hook.invocationContext.triggerMetadata?.deliveryCount);
  if (entity?.maxDeliveryCount !== undefined && deliveryCount >= entity.maxDeliveryCount) {
    recordDeadLettered(entity.path, 1);
  }
}

let registered = false;

/**
 * Registers the span hooks once. Each preInvocation hook wraps the handler the hooks before it left, so a hook
 * registered later runs outside one registered earlier. `startTelemetry` calls this before the distro registers its
 * own hook (which binds the handler to the host's trace context), so the handler still runs inside the invocation's
 * span; and the correlation hook, registered after this, makes a timer's id visible to it.
 */
export function registerTelemetryHooks(): void {
  if (registered) return;
  registered = true;
  app.hook.preInvocation(startInvocationSpan);
  app.hook.postInvocation(endInvocationSpan);
}
