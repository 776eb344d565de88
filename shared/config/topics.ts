/**
 * The one list of Service Bus topics and their subscriptions. Like the queue list, the Bicep, the local Service Bus
 * emulator and the function registrations all read it. A topic carries domain events (their schemas live in
 * shared/events/event-catalog.ts); each consumer has its own subscription, so adding a consumer never touches the
 * producer: it adds a subscription here and a registration in functions/.
 */
export interface SubscriptionSpec {
  readonly name: string;
  /** Deliveries before the broker dead-letters a message on this subscription (Service Bus default is 10). */
  readonly maxDeliveryCount: number;
  /** Peek-lock duration in seconds (Service Bus allows 5 s to 5 min). */
  readonly lockDurationSeconds: number;
}

export interface TopicSpec {
  readonly name: string;
  /** Duplicate-detection window in seconds (a topic property in Service Bus); event ids seen inside it are dropped. */
  readonly duplicateDetectionWindowSeconds: number;
  readonly subscriptions: readonly SubscriptionSpec[];
}

export const topics = {
  // Scans: scan.completed (with the evaluated summary), scan.vaultFailed.
  scanEvents: {
    name: 'scan-events',
    duplicateDetectionWindowSeconds: 3600,
    subscriptions: [
      { name: 'notify', maxDeliveryCount: 10, lockDurationSeconds: 120 },
      // Compliance evaluation after each scan: reads the whole inventory once, so a longer lock.
      { name: 'compliance', maxDeliveryCount: 5, lockDurationSeconds: 300 },
      { name: 'sync', maxDeliveryCount: 10, lockDurationSeconds: 300 },
    ],
  },
  // Alerts any feature raises (rotation, sync, compliance, …): one path through rules, routing, dedup and history.
  alertEvents: {
    name: 'alert-events',
    duplicateDetectionWindowSeconds: 86400,
    subscriptions: [{ name: 'notify', maxDeliveryCount: 10, lockDurationSeconds: 120 }],
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof topics;
export const topicList: readonly TopicSpec[] = Object.values(topics);

/** A declared subscription's name (throws at start-up for an undeclared one, so a registration cannot drift). */
export function subscriptionName(topic: TopicKey, name: string): string {
  const found = topics[topic].subscriptions.find((s) => s.name === name);
  if (!found) throw new Error(`Topic ${topics[topic].name} declares no subscription ${name}`);
  return found.name;
}
