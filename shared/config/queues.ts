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
  scanCompleted: {
    name: 'scan-completed',
    maxDeliveryCount: 10,
    lockDurationSeconds: 120,
    duplicateDetectionWindowSeconds: 3600,
  },
  notify: { name: 'notify', maxDeliveryCount: 10, lockDurationSeconds: 120, duplicateDetectionWindowSeconds: 3600 },
} as const satisfies Record<string, QueueSpec>;

export type QueueKey = keyof typeof queues;
export const queueList: readonly QueueSpec[] = Object.values(queues);
