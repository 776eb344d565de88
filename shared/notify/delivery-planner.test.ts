import { planDeliveries, type PlanInput } from './delivery-planner';
import type { StoredRule } from './notify-config-store';
import type { NotifyEvent } from './notify-schemas';

function event(
  name: string,
  level: NotifyEvent['level'],
  subscriptionId: string,
  over: Partial<NotifyEvent> = {},
): NotifyEvent {
  const id = `${subscriptionId}_kv~secret_${name}`;
  return {
    key: `${id}|${level}|day:2026-11-22`,
    action: 'trigger',
    reason: 'entered',
    alertType: level === 'expired' ? 'secret_expired' : 'secret_expiring',
    level,
    levels: [level],
    item: {
      id,
      scope: `${subscriptionId}_kv`,
      kind: 'secret',
      name,
      vaultName: 'kv',
      subscriptionId,
      subscriptionName: subscriptionId,
      expiresOn: '2026-11-25T00:00:00.000Z',
      severity: level,
      daysRemaining: level === 'warning' ? 20 : 3,
      tags: {},
    },
    ...over,
  };
}

const rule = (over: Partial<StoredRule>): StoredRule => ({
  id: 'rule-1',
  name: 'r',
  alertType: 'secret_expiring',
  thresholdDays: 7,
  deliveryMethod: 'email',
  deliveryMode: 'immediate',
  recipients: ['oncall@contoso.example'],
  subscriptions: [],
  targetConfigured: false,
  enabled: true,
  createdAt: '',
  updatedAt: '',
  webhookUrl: '',
  routingKey: '',
  ...over,
});

const base: PlanInput = {
  scanId: 'scan-1',
  now: new Date('2026-11-22T08:00:00Z'),
  events: [event('a', 'critical', 'sub-prod'), event('b', 'warning', 'sub-prod'), event('c', 'warning', 'sub-dev')],
  routing: {
    routes: [
      {
        id: 'prod',
        subscriptionId: 'sub-prod',
        subscriptionName: 'Prod',
        teamName: 'Infra',
        notificationEmail: 'infra@contoso.example',
        hasWebhook: true,
      },
      {
        id: 'all',
        subscriptionId: '*',
        subscriptionName: 'All',
        teamName: 'Platform',
        notificationEmail: 'platform@contoso.example',
        hasWebhook: false,
      },
    ],
    defaultEmail: 'security@contoso.example',
    tagNames: { owner: 'owner', team: 'team' },
  },
  channels: [
    { channelType: 'slack' },
    { channelType: 'pagerduty' },
    { channelType: 'servicenow', severities: ['critical'] },
  ],
  rules: [],
};

describe('delivery planner', () => {
  it('one delivery per channel and team; PagerDuty per item and level; channel severities filter', () => {
    const { messages } = planDeliveries(base);
    const summary = messages
      .map((m) => `${m.channel}:${m.teamName}:${m.events.map((e) => e.item.name).join('')}`)
      .sort();
    expect(summary).toEqual([
      'email:Infra:ab',
      'email:Platform:c',
      'pagerduty:Infra:a',
      'servicenow:Infra:a',
      'slack:Infra:ab',
      'slack:Platform:c',
      'teams:Infra:ab',
    ]);
    expect(messages.every((m) => m.deliveryKey.length <= 128)).toBe(true);
    expect(new Set(messages.map((m) => m.deliveryKey)).size).toBe(messages.length);
  });

  it('keys are stable across runs and change with the reminder window', () => {
    const first = planDeliveries(base).messages.map((m) => m.deliveryKey);
    expect(planDeliveries(base).messages.map((m) => m.deliveryKey)).toEqual(first);
    const nextDay = {
      ...base,
      events: base.events.map((e) => ({ ...e, key: e.key.replace('2026-11-22', '2026-11-23') })),
    };
    const second = planDeliveries(nextDay).messages.map((m) => m.deliveryKey);
    expect(second.filter((key) => first.includes(key))).toEqual([]);
  });

  it('a resolve pages PagerDuty once per level it was triggered at', () => {
    const resolved = event('a', 'critical', 'sub-prod', {
      action: 'resolve',
      reason: 'renewed',
      levels: ['warning', 'severe', 'critical'],
    });
    const { messages } = planDeliveries({ ...base, events: [resolved] });
    const paged = messages.filter((m) => m.channel === 'pagerduty').map((m) => m.events[0]?.level);
    expect(paged).toEqual(['severe', 'critical']);
    expect(messages.some((m) => m.channel === 'servicenow')).toBe(false);
  });

  it('rules: threshold days and subscriptions filter; digest rules collect instead of sending', () => {
    const rules = [
      rule({ id: 'now', thresholdDays: 7 }),
      rule({ id: 'dev-only', thresholdDays: 30, subscriptions: ['sub-dev'] }),
      rule({ id: 'digest', thresholdDays: 30, deliveryMode: 'digest' }),
      rule({ id: 'off', enabled: false }),
    ];
    const { messages, digests } = planDeliveries({ ...base, channels: [], rules });
    const byRule = messages
      .filter((m) => m.destination.kind === 'rule')
      .map(
        (m) =>
          `${m.destination.kind === 'rule' ? m.destination.ruleId : ''}:${m.events.map((e) => e.item.name).join('')}`,
      );
    expect(byRule.sort()).toEqual(['dev-only:c', 'now:a']);
    expect(digests.map((d) => `${d.ruleId}:${d.event.item.name}`)).toEqual(['digest:a', 'digest:b', 'digest:c']);
  });
});
