import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AuditActor } from '../audit/audit-types';
import { auditedChange } from '../auth/auth-audit';
import { alertCatalogue, raisedAlertTypes } from '../events/alert-catalogue';
import { badRequest, notFound } from '../http/http-errors';
import type { Clock } from '../time/clock';
import type { DeliveryRecord } from './delivery-store';
import type { deliveryViewSchema, historyQuerySchema, testResultSchema } from './notify-api-schemas';
import { ruleInputSchema, type RuleInput, type RuleView } from './notify-config-schemas';
import type { StoredSnooze } from './notify-config-store';
import type { NotifyServices } from './notify-runtime';
import { guardUrl } from './notify-config-service';
import { sendTest } from './notify-test-send';

type TestResult = z.infer<typeof testResultSchema>;
type Deps = Pick<NotifyServices, 'config' | 'deliveries' | 'audit' | 'urlPolicy' | 'sendNow'> & { clock: Clock };

const ruleView = ({
  webhookUrl: _url,
  routingKey: _key,
  ...view
}: RuleView & { webhookUrl: string; routingKey: string }): RuleView => view;

async function validateRule(deps: Deps, input: RuleInput): Promise<void> {
  // A rule for an alert nothing raises yet would be accepted and never fire: refuse it, naming what works.
  const spec = alertCatalogue[input.alertType];
  if (spec.raisedBy === null) {
    throw badRequest(
      `No feature raises ${input.alertType} alerts yet (${spec.feature} is not built). ` +
        `Alert types that work: ${raisedAlertTypes.join(', ')}.`,
      [{ field: 'body.alertType', message: `one of ${raisedAlertTypes.join(', ')}` }],
    );
  }
  if (input.webhookUrl) await guardUrl(deps, input.webhookUrl, 'body.webhookUrl');
  if (input.deliveryMethod === 'email' && input.recipients.length === 0) {
    throw badRequest('An email rule needs recipients.', [
      { field: 'body.recipients', message: 'at least one address' },
    ]);
  }
}

export async function listRules(deps: Deps): Promise<RuleView[]> {
  return (await deps.config.listRules()).map(ruleView);
}

export async function createRule(deps: Deps, actor: AuditActor, input: RuleInput): Promise<RuleView> {
  await validateRule(deps, input);
  // The id is chosen before the write so the audit entry, written first, names the rule it creates.
  const id = randomUUID();
  const entry = {
    actor,
    action: 'alertRule.created',
    target: `rule ${id}`,
    outcome: 'success',
    details: {
      name: input.name,
      alertType: input.alertType,
      deliveryMethod: input.deliveryMethod,
      deliveryMode: input.deliveryMode,
      enabled: input.enabled,
    },
  } as const;
  return ruleView(await auditedChange(deps.audit, entry, () => deps.config.saveRule(id, input, null)));
}

export async function updateRule(
  deps: Deps,
  actor: AuditActor,
  id: string,
  patch: Partial<RuleInput>,
): Promise<RuleView> {
  const current = await deps.config.rule(id);
  if (!current) throw notFound('No alert rule with that id.');
  const merged = ruleInputSchema.safeParse({
    name: current.name,
    alertType: current.alertType,
    ...(current.thresholdDays === null ? {} : { thresholdDays: current.thresholdDays }),
    deliveryMethod: current.deliveryMethod,
    deliveryMode: current.deliveryMode,
    recipients: current.recipients,
    subscriptions: current.subscriptions,
    enabled: current.enabled,
    ...patch,
  });
  if (!merged.success)
    throw badRequest(
      'Invalid alert rule.',
      merged.error.issues.map((i) => ({ field: ['body', ...i.path].join('.'), message: i.message })),
    );
  await validateRule(deps, merged.data);
  const entry = {
    actor,
    action: 'alertRule.updated',
    target: `rule ${id}`,
    outcome: 'success',
    details: {
      changed: Object.keys(patch).map((k) => (k === 'webhookUrl' || k === 'routingKey' ? `${k} (not shown)` : k)),
    },
  } as const;
  return ruleView(await auditedChange(deps.audit, entry, () => deps.config.saveRule(id, merged.data, current)));
}

export async function deleteRule(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  if (!(await deps.config.rule(id))) throw notFound('No alert rule with that id.');
  const entry = { actor, action: 'alertRule.deleted', target: `rule ${id}`, outcome: 'success', details: {} } as const;
  await auditedChange(deps.audit, entry, async () => {
    if (!(await deps.config.deleteRule(id))) throw notFound('No alert rule with that id.');
  });
}

export async function testRule(deps: Deps, actor: AuditActor, id: string): Promise<TestResult> {
  const rule = await deps.config.rule(id);
  if (!rule) throw notFound('No alert rule with that id.');
  return sendTest(deps, actor, rule.deliveryMethod, { kind: 'rule', ruleId: id }, `rule ${id}`);
}

export async function snooze(
  deps: Deps,
  actor: AuditActor,
  itemId: string,
  input: { until: string; reason: string },
): Promise<StoredSnooze> {
  const now = deps.clock.now();
  if (Date.parse(input.until) <= now.getTime())
    throw badRequest('A snooze must end in the future.', [{ field: 'body.until', message: 'in the past' }]);
  const saved: StoredSnooze = {
    itemId,
    until: new Date(input.until).toISOString(),
    reason: input.reason,
    createdBy: actor.name ?? actor.id ?? 'system',
    createdAt: now.toISOString(),
  };
  const entry = {
    actor,
    action: 'snooze.created',
    target: itemId,
    outcome: 'success',
    details: { until: saved.until, reason: saved.reason },
  } as const;
  await auditedChange(deps.audit, entry, () => deps.config.saveSnooze(saved));
  return saved;
}

export async function unsnooze(deps: Deps, actor: AuditActor, itemId: string): Promise<void> {
  if (!(await deps.config.listSnoozes()).some((s) => s.itemId === itemId)) throw notFound('That item is not snoozed.');
  const entry = { actor, action: 'snooze.removed', target: itemId, outcome: 'success', details: {} } as const;
  await auditedChange(deps.audit, entry, async () => {
    if (!(await deps.config.deleteSnooze(itemId))) throw notFound('That item is not snoozed.');
  });
}

const deliveryView = ({ deliveryKey, ...rest }: DeliveryRecord): z.infer<typeof deliveryViewSchema> => ({
  deliveryId: deliveryKey,
  ...rest,
});

export async function history(
  deps: Deps,
  query: z.output<typeof historyQuerySchema>,
): Promise<{ deliveries: z.infer<typeof deliveryViewSchema>[] }> {
  const records = await deps.deliveries.history({
    ...(query.start_date ? { from: new Date(query.start_date).toISOString() } : {}),
    ...(query.end_date ? { to: new Date(query.end_date).toISOString() } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.correlation_id ? { correlationId: query.correlation_id } : {}),
    limit: query.limit,
  });
  return { deliveries: records.map(deliveryView) };
}
