import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { storeCall, storeGet } from '../runtime/store-errors';
import type { Clock } from '../time/clock';
import type { RouteView, RuleInput, RuleView, EmailConfigInput } from './notify-config-schemas';
import type { AlertingSeverity, WebhookChannelType } from './notify-schemas';
import type { SecretBox } from './secret-box';

export const NOTIFY_CONFIG_TABLE = 'NotifyConfig';

/** Secret parts of a channel, kept sealed in one column. */
export interface ChannelSecrets {
  url?: string;
  secret?: string;
  routingKey?: string;
  username?: string;
  password?: string;
}

export interface StoredChannel {
  readonly channelType: WebhookChannelType;
  readonly enabled: boolean;
  readonly teamsFormat?: 'auto' | 'workflows' | 'messagecard';
  readonly severities?: AlertingSeverity[];
  readonly secrets: ChannelSecrets;
}

export interface StoredEmailConfig extends Omit<EmailConfigInput, 'username' | 'password'> {
  readonly username: string;
  readonly password: string;
}

export interface StoredRule extends RuleView {
  readonly webhookUrl: string;
  readonly routingKey: string;
}

export interface StoredSnooze {
  readonly itemId: string;
  readonly until: string;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

interface Row {
  partitionKey: string;
  rowKey: string;
  json: string;
  sealed?: string;
}

/** Notification configuration: routes, channels, email, rules and snoozes, secrets sealed per row. */
export interface NotifyConfigStore {
  listRoutes(): Promise<RouteView[]>;
  routeWebhook(id: string): Promise<string | null>;
  saveRoute(
    route: Omit<RouteView, 'webhookConfigured' | 'id'> & { id?: string },
    webhookUrl: string | undefined,
  ): Promise<RouteView>;
  deleteRoute(id: string): Promise<boolean>;
  listChannels(): Promise<StoredChannel[]>;
  channel(type: WebhookChannelType): Promise<StoredChannel | null>;
  saveChannel(channel: StoredChannel): Promise<void>;
  emailConfig(): Promise<StoredEmailConfig | null>;
  saveEmailConfig(config: StoredEmailConfig): Promise<void>;
  listRules(): Promise<StoredRule[]>;
  rule(id: string): Promise<StoredRule | null>;
  saveRule(id: string | null, input: RuleInput, previous: StoredRule | null): Promise<StoredRule>;
  deleteRule(id: string): Promise<boolean>;
  listSnoozes(): Promise<StoredSnooze[]>;
  saveSnooze(snooze: StoredSnooze): Promise<void>;
  deleteSnooze(itemId: string): Promise<boolean>;
}

/** Table keys cannot hold '/', '\\', '#', '?'; item ids are URLs, so they are base64url-encoded. */
export const keyOf = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');

export function createNotifyConfigStore(deps: {
  table: () => Promise<TableClient>;
  box: SecretBox;
  clock: Clock;
}): NotifyConfigStore {
  const { box } = deps;
  const context = (pk: string, rk: string): string => `${NOTIFY_CONFIG_TABLE}/${pk}/${rk}`;

  async function read<T>(pk: string, rk: string): Promise<{ value: T; secrets: Record<string, string> } | null> {
    const table = await deps.table();
    const row = await storeGet(`notify.get ${pk}`, () => table.getEntity<Row>(pk, rk));
    return row ? decode<T>(row) : null;
  }

  function decode<T>(row: Row): { value: T; secrets: Record<string, string> } {
    const secrets = row.sealed
      ? (JSON.parse(box.open(row.sealed, context(row.partitionKey, row.rowKey))) as Record<string, string>)
      : {};
    return { value: JSON.parse(row.json) as T, secrets };
  }

  async function list<T>(pk: string): Promise<{ value: T; secrets: Record<string, string> }[]> {
    const table = await deps.table();
    return storeCall(`notify.list ${pk}`, async () => {
      const out: { value: T; secrets: Record<string, string> }[] = [];
      for await (const row of table.listEntities<Row>({ queryOptions: { filter: `PartitionKey eq '${pk}'` } }))
        out.push(decode<T>(row));
      return out;
    });
  }

  async function write(
    pk: string,
    rk: string,
    value: unknown,
    secrets: Record<string, string | undefined>,
  ): Promise<void> {
    const table = await deps.table();
    const present = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined && v !== ''));
    const row: Row = { partitionKey: pk, rowKey: rk, json: JSON.stringify(value) };
    if (Object.keys(present).length > 0) row.sealed = box.seal(JSON.stringify(present), context(pk, rk));
    await storeCall(`notify.set ${pk}`, () => table.upsertEntity(row, 'Replace'));
  }

  async function remove(pk: string, rk: string): Promise<boolean> {
    const table = await deps.table();
    const existing = await storeGet(`notify.get ${pk}`, () => table.getEntity<Row>(pk, rk));
    if (!existing) return false;
    await storeGet(`notify.delete ${pk}`, () => table.deleteEntity(pk, rk));
    return true;
  }

  type RouteRow = Omit<RouteView, 'webhookConfigured'>;
  const routeView = ({ value, secrets }: { value: RouteRow; secrets: Record<string, string> }): RouteView => ({
    ...value,
    webhookConfigured: Boolean(secrets.url),
  });
  type RuleRow = Omit<StoredRule, 'webhookUrl' | 'routingKey' | 'targetConfigured'>;
  const ruleOf = ({ value, secrets }: { value: RuleRow; secrets: Record<string, string> }): StoredRule => ({
    ...value,
    webhookUrl: secrets.url ?? '',
    routingKey: secrets.routingKey ?? '',
    targetConfigured: Boolean(secrets.url || secrets.routingKey),
  });

  return {
    async listRoutes() {
      return (await list<RouteRow>('route')).map(routeView);
    },
    async routeWebhook(id) {
      return (await read<RouteRow>('route', id))?.secrets.url ?? null;
    },
    async saveRoute(route, webhookUrl) {
      const id = route.id ?? randomUUID();
      const existing = route.id ? await read<RouteRow>('route', id) : null;
      const url = webhookUrl === undefined ? existing?.secrets.url : webhookUrl;
      const value: RouteRow = { ...route, id };
      await write('route', id, value, { url });
      return { ...value, webhookConfigured: Boolean(url) };
    },
    deleteRoute: (id) => remove('route', id),
    async listChannels() {
      return (await list<Omit<StoredChannel, 'secrets'>>('channel')).map(({ value, secrets }) => ({
        ...value,
        secrets,
      }));
    },
    async channel(type) {
      const found = await read<Omit<StoredChannel, 'secrets'>>('channel', type);
      return found ? { ...found.value, secrets: found.secrets } : null;
    },
    async saveChannel({ secrets, ...value }) {
      await write('channel', value.channelType, value, { ...secrets });
    },
    async emailConfig() {
      const found = await read<Omit<StoredEmailConfig, 'username' | 'password'>>('email', 'config');
      return found
        ? { ...found.value, username: found.secrets.username ?? '', password: found.secrets.password ?? '' }
        : null;
    },
    async saveEmailConfig({ username, password, ...value }) {
      await write('email', 'config', value, { username, password });
    },
    async listRules() {
      return (await list<RuleRow>('rule')).map(ruleOf);
    },
    async rule(id) {
      const found = await read<RuleRow>('rule', id);
      return found ? ruleOf(found) : null;
    },
    async saveRule(id, input, previous) {
      const now = deps.clock.now().toISOString();
      const { webhookUrl, routingKey, ...rest } = input;
      const value: RuleRow = {
        ...rest,
        thresholdDays: rest.thresholdDays ?? null,
        id: id ?? randomUUID(),
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      const secrets = {
        url: webhookUrl === undefined ? previous?.webhookUrl : webhookUrl,
        routingKey: routingKey === undefined ? previous?.routingKey : routingKey,
      };
      await write('rule', value.id, value, secrets);
      return ruleOf({ value, secrets: { url: secrets.url ?? '', routingKey: secrets.routingKey ?? '' } });
    },
    deleteRule: (id) => remove('rule', id),
    async listSnoozes() {
      return (await list<StoredSnooze>('snooze')).map(({ value }) => value);
    },
    saveSnooze: (snooze) => write('snooze', keyOf(snooze.itemId), snooze, {}),
    deleteSnooze: (itemId) => remove('snooze', keyOf(itemId)),
  };
}
