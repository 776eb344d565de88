import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { flushDigests } from '../../shared/notify/digest-flush';
import { createDigestStore } from '../../shared/notify/digest-store';
import type { StoredRule } from '../../shared/notify/notify-config-store';
import type { ChannelType, DeliveryMessage } from '../../shared/notify/notify-schemas';
import { event } from './notify-fixture';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite.stop());

const rule = (id: string, over: Partial<StoredRule> = {}): StoredRule => ({
  id,
  name: `Rule ${id}`,
  alertType: 'secret_expiring',
  thresholdDays: 30,
  deliveryMethod: 'email',
  deliveryMode: 'digest',
  recipients: ['digest@contoso.example'],
  subscriptions: [],
  targetConfigured: false,
  enabled: true,
  createdAt: '',
  updatedAt: '',
  webhookUrl: '',
  routingKey: '',
  ...over,
});

describe('digest rules (Azurite)', () => {
  it('collects events across evaluations without duplicates, sends one delivery per rule, then starts empty', async () => {
    const client = TableClient.fromConnectionString(azurite.connectionString, `digest${process.pid}`, {
      allowInsecureConnection: true,
    });
    await client.createTable();
    const digests = createDigestStore({ table: async () => client });
    const a = event('a', 3);
    const b = event('b', 20, 'warning');
    // The same event added twice (an evaluation re-run) is kept once; a rule that was disabled is discarded.
    await digests.add([{ ruleId: 'daily', channel: 'email', teamName: 'Infra', event: a }]);
    await digests.add([
      { ruleId: 'daily', channel: 'email', teamName: 'Infra', event: a },
      { ruleId: 'daily', channel: 'email', teamName: 'Infra', event: b },
      { ruleId: 'disabled', channel: 'email', teamName: 'Infra', event: b },
    ]);
    const sent: [ChannelType, DeliveryMessage][] = [];
    const deps = {
      digests,
      rules: async () => [rule('daily'), rule('disabled', { enabled: false })],
      enqueue: async (channel: ChannelType, messages: readonly DeliveryMessage[]) =>
        void sent.push(...messages.map((m): [ChannelType, DeliveryMessage] => [channel, m])),
    };
    expect(await flushDigests(deps, new Date('2026-11-23T08:00:00Z'))).toBe(1);
    expect(sent).toHaveLength(1);
    const [channel, message] = sent[0] ?? [];
    expect(channel).toBe('email');
    expect(message).toMatchObject({
      destination: { kind: 'rule', ruleId: 'daily' },
      teamName: 'Infra',
      scanId: 'digest:2026-11-23',
    });
    expect(message?.events.map((e) => e.item.name)).toEqual(['a', 'b']);
    expect((await digests.pending()).size).toBe(0);
    expect(await flushDigests(deps, new Date('2026-11-24T08:00:00Z'))).toBe(0);
  });
});
