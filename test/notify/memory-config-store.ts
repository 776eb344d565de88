import type { RouteView } from '../../shared/notify/notify-config-schemas';
import type {
  NotifyConfigStore,
  StoredChannel,
  StoredEmailConfig,
  StoredRule,
  StoredSnooze,
} from '../../shared/notify/notify-config-store';

/** An in-memory NotifyConfigStore: enough to see whether a write happened. */
export function memoryConfig(): NotifyConfigStore & { writes: number } {
  const routes = new Map<string, RouteView>();
  const channels = new Map<string, StoredChannel>();
  const rules = new Map<string, StoredRule>();
  const snoozes = new Map<string, StoredSnooze>();
  let email: StoredEmailConfig | null = null;
  const store = {
    writes: 0,
    listRoutes: async () => [...routes.values()],
    routeWebhook: async () => null,
    async saveRoute(route: Omit<RouteView, 'webhookConfigured' | 'id'> & { id?: string }, url: string | undefined) {
      store.writes++;
      const saved = { ...route, id: route.id ?? 'generated', webhookConfigured: Boolean(url) };
      routes.set(saved.id, saved);
      return saved;
    },
    deleteRoute: async (id: string) => (store.writes++, routes.delete(id)),
    listChannels: async () => [...channels.values()],
    channel: async (type: string) => channels.get(type) ?? null,
    saveChannel: async (channel: StoredChannel) => void (store.writes++, channels.set(channel.channelType, channel)),
    emailConfig: async () => email,
    saveEmailConfig: async (config: StoredEmailConfig) => void (store.writes++, (email = config)),
    listRules: async () => [...rules.values()],
    rule: async (id: string) => rules.get(id) ?? null,
    async saveRule(id: string | null, input: Parameters<NotifyConfigStore['saveRule']>[1]) {
      store.writes++;
      const rule = {
        ...input,
        id: id ?? 'generated',
        thresholdDays: input.thresholdDays ?? null,
        createdAt: '',
        updatedAt: '',
        targetConfigured: false,
        webhookUrl: input.webhookUrl ?? '',
        routingKey: input.routingKey ?? '',
      };
      rules.set(rule.id, rule);
      return rule;
    },
    deleteRule: async (id: string) => (store.writes++, rules.delete(id)),
    listSnoozes: async () => [...snoozes.values()],
    saveSnooze: async (s: StoredSnooze) => void (store.writes++, snoozes.set(s.itemId, s)),
    deleteSnooze: async (itemId: string) => (store.writes++, snoozes.delete(itemId)),
  };
  return store;
}
