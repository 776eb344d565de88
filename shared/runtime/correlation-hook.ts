import { app } from '@azure/functions';
import { isCorrelationId, newCorrelationId, withCorrelation } from './correlation';

/** The correlation id a Service Bus trigger carries: the message's `correlationId`, else its application property. */
export function correlationOfTrigger(metadata: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (isCorrelationId(metadata?.correlationId)) return metadata.correlationId;
  const properties = metadata?.applicationProperties as Readonly<Record<string, unknown>> | undefined;
  return isCorrelationId(properties?.correlationId) ? properties.correlationId : undefined;
}

/**
 * Runs every non-HTTP invocation under a correlation id: the triggering message's (so a scan's units, its
 * completion event, its alerts and their deliveries share the id of the request or timer that started it), or a
 * new one for a timer. HTTP invocations get theirs from the route pipeline, which owns the request ids.
 */
export function registerCorrelationHook(): void {
  app.hook.preInvocation((context) => {
    if (context.invocationContext.options.trigger.type === 'httpTrigger') return;
    const id = correlationOfTrigger(context.invocationContext.triggerMetadata) ?? newCorrelationId();
    const handler = context.functionHandler;
    context.functionHandler = (...args) => withCorrelation(id, () => handler(...args));
  });
}
