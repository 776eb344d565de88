import type { Clock } from '../time/clock';
import { recordDelivery } from '../telemetry/keyward-metrics';
import { DeliveryError } from './delivery-errors';
import type { DeliveryStore } from './delivery-store';
import { systemActor, type NotifyAudit } from './notify-audit';
import type { DeliveryMessage } from './notify-schemas';
import type { Target } from './notify-targets';
import type { SendDelivery } from './channel-senders';

export interface DeliveryWorkerLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RetryPolicy {
  /** Deliveries before the broker dead-letters: the queue's maxDeliveryCount. */
  readonly maxAttempts: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

export interface DeliveryWorkerDeps {
  readonly deliveries: DeliveryStore;
  readonly resolveTarget: (message: DeliveryMessage) => Promise<Target>;
  readonly send: SendDelivery;
  readonly audit: NotifyAudit | null;
  readonly clock: Clock;
  readonly log: DeliveryWorkerLog;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
}

/** A message that failed and must be redelivered (the host abandons it; past maxAttempts the broker dead-letters). */
export class RetryDeliveryError extends Error {
  constructor(
    readonly deliveryKey: string,
    readonly attempt: number,
  ) {
    super(`Delivery ${deliveryKey} attempt ${attempt} failed; left for redelivery`);
    this.name = 'RetryDeliveryError';
  }
}

export type DeliveryOutcome = 'sent' | 'duplicate' | 'failed' | 'dead_lettered';

/** Exponential backoff from the base, a Retry-After answer wins when longer, both capped. */
export function retryDelaySeconds(attempt: number, retryAfter: number | null, policy: RetryPolicy): number {
  const backoff = policy.baseSeconds * 2 ** Math.max(0, attempt - 1);
  return Math.min(policy.maxSeconds, Math.max(backoff, retryAfter ?? 0));
}

/** `target` for history and audit: the channel, or how many recipients; never a URL or an address list. */
function targetLabel(message: DeliveryMessage): string {
  const d = message.destination;
  switch (d.kind) {
    case 'email':
      return `${d.to.length} recipient(s)`;
    case 'channel':
      return d.channel;
    case 'route':
      return `route ${d.routeId}`;
    case 'rule':
      return `rule ${d.ruleId}`;
  }
}

/**
 * Handles one delivery message (one Service Bus delivery = one attempt). Order: parse → claim the "sent"
 * record (insert-if-absent; an already-sent delivery is skipped) → resolve the target by reference → send →
 * record. A retryable failure waits its backoff (honouring Retry-After) and throws so the broker redelivers;
 * the last allowed attempt records `dead_lettered` and throws once more, and the broker moves the message to
 * the dead-letter queue. Permanent failures are recorded and completed.
 *
 * Crash window: a crash after the endpoint accepted but before `sent` is written re-sends on redelivery. That
 * is deliberate (at least once): losing an expiry alert is worse than a duplicate, and every channel carries
 * the delivery key for receivers to drop repeats (`webhook-id`, PagerDuty `dedup_key`, ServiceNow
 * `correlation_id`).
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { deliveries, clock, log } = deps;

  /** Records an attempt's outcome: the delivery row, and the deliveries metric (channel × outcome). */
  const finish = async (
    message: DeliveryMessage,
    attempt: number,
    at: string,
    outcome: Parameters<DeliveryStore['finish']>[3],
  ): Promise<void> => {
    await deliveries.finish(message.deliveryKey, attempt, at, outcome);
    recordDelivery(message.channel, outcome.status);
  };

  const audit = async (message: DeliveryMessage, ok: boolean, attempt: number, error: string | null): Promise<void> => {
    if (!deps.audit) return;
    await deps.audit.append({
      actor: systemActor,
      action: ok ? 'notification.sent' : 'notification.failed',
      target: `${message.channel}: ${targetLabel(message)}`,
      outcome: ok ? 'success' : 'failure',
      details: {
        deliveryKey: message.deliveryKey,
        alertType: message.alertType,
        teamName: message.teamName,
        items: message.events.length,
        attempts: attempt,
        test: message.test,
        ...(error ? { error } : {}),
      },
    });
  };

  return async function handle(message: DeliveryMessage, deliveryCount: number): Promise<DeliveryOutcome> {
    const attempt = Math.max(1, deliveryCount);
    const claimed = await deliveries.claim({
      deliveryKey: message.deliveryKey,
      channel: message.channel,
      target: targetLabel(message),
      teamName: message.teamName,
      alertType: message.alertType,
      itemCount: message.events.length,
      test: message.test,
      correlationId: message.correlationId ?? '',
      attempts: attempt,
      createdAt: clock.now().toISOString(),
    });
    if (claimed !== 'claimed') {
      log.info(`Delivery ${message.deliveryKey} skipped: ${claimed}`);
      return 'duplicate';
    }

    let failure: DeliveryError;
    try {
      await deps.send(message, await deps.resolveTarget(message));
      await finish(message, attempt, clock.now().toISOString(), { status: 'sent', error: null });
      await audit(message, true, attempt, null);
      log.info(`Delivery ${message.deliveryKey} sent via ${message.channel} (attempt ${attempt})`);
      return 'sent';
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      failure = error;
    }

    const at = clock.now().toISOString();
    if (!failure.retryable) {
      await finish(message, attempt, at, { status: 'failed', error: failure.message });
      await audit(message, false, attempt, failure.message);
      log.warn(`Delivery ${message.deliveryKey} via ${message.channel} failed permanently: ${failure.message}`);
      return 'failed';
    }
    if (attempt >= deps.retry.maxAttempts) {
      await finish(message, attempt, at, { status: 'dead_lettered', error: failure.message });
      await audit(message, false, attempt, failure.message);
      log.warn(
        `Delivery ${message.deliveryKey} via ${message.channel} gave up after ${attempt} attempts: ${failure.message}`,
      );
      throw new RetryDeliveryError(message.deliveryKey, attempt);
    }
    await finish(message, attempt, at, { status: 'retrying', error: failure.message });
    const delay = retryDelaySeconds(attempt, failure.retryAfterSeconds, deps.retry);
    log.warn(
      `Delivery ${message.deliveryKey} via ${message.channel} attempt ${attempt} failed (${failure.message}); retry in ${delay} s`,
    );
    // Service Bus has no redelivery delay: wait here, holding the lock (the cap stays under the lock duration).
    await deps.sleep(delay * 1000);
    throw new RetryDeliveryError(message.deliveryKey, attempt);
  };
}
