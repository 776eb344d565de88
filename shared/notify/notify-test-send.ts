import { currentCorrelationId } from '../runtime/correlation';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AuditActor } from '../audit/audit-types';
import type { Clock } from '../time/clock';
import { DeliveryError } from './delivery-errors';
import type { testResultSchema } from './notify-api-schemas';
import type { NotifyServices } from './notify-runtime';
import type { ChannelType, Destination, NotifyEvent } from './notify-schemas';

type TestResult = z.infer<typeof testResultSchema>;
type Deps = Pick<NotifyServices, 'deliveries' | 'audit' | 'sendNow'> & { clock: Clock };

/** A made-up item for test messages, plainly named as such. */
function testEvent(now: Date): NotifyEvent {
  const expires = new Date(now.getTime() + 7 * 86_400_000);
  return {
    key: `test|${now.toISOString()}`,
    action: 'trigger',
    reason: 'test',
    alertType: 'secret_expiring',
    level: 'critical',
    levels: ['critical'],
    item: {
      id: 'keyward-test-item',
      scope: 'test',
      kind: 'secret',
      name: 'keyward-test-secret',
      vaultName: 'kv-keyward-test',
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      subscriptionName: 'Test',
      expiresOn: expires.toISOString(),
      severity: 'critical',
      daysRemaining: 7,
      tags: {},
    },
  };
}

/**
 * Sends one test message now (not through a queue, so the caller sees the outcome), records it in the history
 * like any delivery, and audits `channel.tested`. Failures are answers, not errors: a test reports them.
 */
export async function sendTest(
  deps: Deps,
  actor: AuditActor,
  channel: ChannelType,
  destination: Destination,
  label: string,
): Promise<TestResult> {
  const now = deps.clock.now();
  const key = `nt-${channel}-${randomUUID()}`;
  const message = {
    v: 1 as const,
    deliveryKey: key,
    channel,
    destination,
    alertType: 'secret_expiring' as const,
    teamName: 'Keyward test',
    scanId: 'test',
    createdAt: now.toISOString(),
    events: [testEvent(now)],
    correlationId: currentCorrelationId() ?? '',
    test: true,
  };
  await deps.deliveries.claim({
    deliveryKey: key,
    channel,
    target: label,
    teamName: message.teamName,
    alertType: message.alertType,
    itemCount: 1,
    test: true,
    correlationId: message.correlationId,
    attempts: 1,
    createdAt: message.createdAt,
  });
  let error: string | null = null;
  try {
    await deps.sendNow(message);
  } catch (failure) {
    if (!(failure instanceof DeliveryError)) throw failure;
    error = failure.message;
  }
  await deps.deliveries.finish(key, 1, deps.clock.now().toISOString(), { status: error ? 'failed' : 'sent', error });
  await deps.audit.append({
    actor,
    action: 'channel.tested',
    target: `${channel}: ${label}`,
    outcome: error ? 'failure' : 'success',
    details: { channelType: channel, deliveryKey: key, ...(error ? { error } : {}) },
  });
  return { channelType: channel, success: error === null, message: error ?? 'Test notification sent.' };
}
