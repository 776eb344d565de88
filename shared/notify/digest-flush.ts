import { deliveryKey } from './delivery-planner';
import type { DigestStore } from './digest-store';
import type { StoredRule } from './notify-config-store';
import type { ChannelType, DeliveryMessage } from './notify-schemas';

export interface DigestFlushDeps {
  readonly digests: DigestStore;
  readonly rules: () => Promise<StoredRule[]>;
  readonly enqueue: (channel: ChannelType, messages: readonly DeliveryMessage[]) => Promise<void>;
}

/**
 * Sends each digest rule's collected events as one delivery, then clears them. The delivery key is built from
 * the event keys, so a flush that crashes after enqueueing and runs again sends the same message id (dropped as
 * a duplicate) before it clears. Entries of deleted or disabled rules are discarded.
 */
export async function flushDigests(deps: DigestFlushDeps, now: Date): Promise<number> {
  const rules = new Map((await deps.rules()).map((rule) => [rule.id, rule]));
  let sent = 0;
  for (const [ruleId, rows] of await deps.digests.pending()) {
    const rule = rules.get(ruleId);
    if (rule?.enabled && rule.deliveryMode === 'digest') {
      const events = rows.map((r) => r.entry.event).sort((a, b) => a.key.localeCompare(b.key));
      const teams = [...new Set(rows.map((r) => r.entry.teamName))];
      const destination = { kind: 'rule' as const, ruleId };
      await deps.enqueue(rule.deliveryMethod, [
        {
          v: 1,
          deliveryKey: deliveryKey(
            rule.deliveryMethod,
            destination,
            events.map((e) => e.key),
          ),
          channel: rule.deliveryMethod,
          destination,
          alertType: events.every((e) => e.alertType === 'secret_expired') ? 'secret_expired' : 'secret_expiring',
          teamName: teams.length === 1 ? (teams[0] ?? 'Digest') : `${rule.name} (digest)`,
          scanId: `digest:${now.toISOString().slice(0, 10)}`,
          createdAt: now.toISOString(),
          events,
          test: false,
        },
      ]);
      sent += 1;
    }
    await deps.digests.remove(
      ruleId,
      rows.map((r) => r.rowKey),
    );
  }
  return sent;
}
