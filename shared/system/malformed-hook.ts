import { app } from '@azure/functions';
import { appLog } from '../runtime/app-log';
import { MalformedMessageError } from '../runtime/malformed-message';
import { serviceBusEntityOf } from '../telemetry/service-bus-entity';
import type { Clock } from '../time/clock';
import type { MalformedStore } from './malformed-store';

/**
 * After a Service Bus invocation that refused its message as malformed, records why (once per message), so the
 * dead-letter listing can say "malformed" and name the schema issues when the broker dead-letters the message.
 * The invocation's error stands either way: a failed record is logged, never swallowed into a success.
 */
export function registerMalformedHook(deps: () => { readonly malformed: MalformedStore; readonly clock: Clock }): void {
  app.hook.postInvocation(async (context) => {
    if (!(context.error instanceof MalformedMessageError)) return;
    const entity = serviceBusEntityOf(context.invocationContext.options.trigger);
    const messageId = context.invocationContext.triggerMetadata?.messageId;
    if (!entity || typeof messageId !== 'string') return;
    try {
      const { malformed, clock } = deps();
      await malformed.record(entity.path, messageId, {
        issues: context.error.message,
        firstSeenAt: clock.now().toISOString(),
      });
    } catch (error) {
      appLog.warn(`could not record why message ${messageId} is malformed (${(error as Error).name})`);
    }
  });
}
