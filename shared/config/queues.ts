/**
 * The one list of Service Bus queues. The Bicep, the local Service Bus emulator and the function
 * registrations all read it, so a queue used in code always exists everywhere it runs.
 */
export interface QueueSpec {
  readonly name: string;
  /** Deliveries before the broker dead-letters a message (Service Bus default is 10). */
  readonly maxDeliveryCount: number;
  /** Peek-lock duration in seconds (Service Bus allows 5 s to 5 min). */
  readonly lockDurationSeconds: number;
  /** Duplicate-detection window in seconds; messageIds seen inside it are dropped. */
  readonly duplicateDetectionWindowSeconds: number;
}

export const queues = {
  scanPlan: { name: 'scan-plan', maxDeliveryCount: 10, lockDurationSeconds: 300, duplicateDetectionWindowSeconds: 600 },
  scanVault: {
    name: 'scan-vault',
    maxDeliveryCount: 10,
    lockDurationSeconds: 300,
    duplicateDetectionWindowSeconds: 600,
  },
  // One queue per notification channel, so a slow or failing channel never delays the others. Six deliveries =
  // six attempts, then the dead-letter queue; the lock outlasts the worker's longest backoff wait (60 s) plus a send.
  notifyEmail: {
    name: 'notify-email',
    maxDeliveryCount: 6,
    lockDurationSeconds: 120,
    duplicateDetectionWindowSeconds: 86400,
  },
  notifySlack: {
    name: 'notify-slack',
    maxDeliveryCount: 6,
    lockDurationSeconds: 120,
    duplicateDetectionWindowSeconds: 86400,
  },
  notifyTeams: {
    name: 'notify-teams',
    maxDeliveryCount: 6,
    lockDurationSeconds: 120,
    duplicateDetectionWindowSeconds: 86400,
  },
  notifyPagerduty: {
    name: 'notify-pagerduty',
    maxDeliveryCount: 6,
    lockDurationSeconds: 120,
    duplicateDetectionWindowSeconds: 86400,
  },
  notifyServicenow: {
    name: 'notify-servicenow',
    maxDeliveryCount: 6,
    lockDurationSeconds: 120,
    duplicateDetectionWindowSeconds: 86400,
  },
  notifyWebhook: {
    name: 'notify-webhook',
    maxDeliveryCount: 6,
    lockDurationSeconds: 120,
    duplicateDetectionWindowSeconds: 86400,
  },
  // One message per rotation; a step is idempotent and resumes from the rotation's recorded state. The lock outlasts
  // the longest step (verification polls the token endpoint for up to about 2 minutes).
  rotation: { name: 'rotation', maxDeliveryCount: 10, lockDurationSeconds: 300, duplicateDetectionWindowSeconds: 600 },
  // One message per (sync record, source version); the worker is idempotent on that key. Ten deliveries spread a
  // provider outage over the retries; the lock outlasts a push's retries inside its budget.
  sync: { name: 'sync', maxDeliveryCount: 10, lockDurationSeconds: 300, duplicateDetectionWindowSeconds: 86400 },
} as const satisfies Record<string, QueueSpec>;

export type QueueKey = keyof typeof queues;
export const queueList: readonly QueueSpec[] = Object.values(queues);
