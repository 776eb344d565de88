import { z } from 'zod';
import type { TopicKey } from '../config/topics';
import { severities } from '../inventory/severity';
import { alertSeverities, alertTypes } from './alert-catalogue';

/**
 * The one list of domain events: name, version, topic and the zod schema of `data`. Producers publish through
 * `publishEvent` and consumers parse through `parseEvent`, both reading this list, so an event's shape is written
 * once. Later features add theirs here (`rotation.*`, `sync.*`, `compliance.violationOpened`,
 * `credential.discovered`) with a topic in shared/config/topics.ts.
 */
const id = z.string().trim().min(1).max(300);
const count = z.number().int().nonnegative();

export const scanCompletedSchema = z.object({
  scanId: z.string().min(1).max(128),
  completedAt: z.iso.datetime({ offset: true }),
  durationSeconds: count,
  vaults: count,
  /** Items in the inventory after the close, and those the tier's item limit left out. */
  totalItems: count,
  itemsLeftOut: count,
  /** The evaluated severities: consumers read these (and each item's stored severity), never classify again. */
  bySeverity: z.record(z.enum(severities), count),
  outcomes: z.record(z.string().max(40), count),
  /** Inventory partitions (vaults, the directory) the scan could not read: their items are unknown, not gone. */
  unreachablePartitions: z.array(z.string().max(300)).max(100_000).default([]),
});

export const scanVaultFailedSchema = z.object({
  scanId: z.string().min(1).max(128),
  unitKey: id,
  subscriptionId: z.string().max(100),
  vaultName: z.string().max(100),
  outcome: z.enum(['forbidden', 'firewalled', 'failed']),
  errorCode: z.string().max(100).nullable(),
});

const factValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/** An alert any feature raises; notifications route it through the same rules, channels, dedup and history. */
export const alertRaisedSchema = z.object({
  alertType: z.enum(alertTypes),
  subject: z.string().trim().min(1).max(300),
  severity: z.enum(alertSeverities),
  /** Name → value pairs shown in every channel; identifiers and counts, never a secret. */
  facts: z
    .record(z.string().max(64), factValue)
    .refine((facts) => Object.keys(facts).length <= 30, 'at most 30 facts')
    .default({}),
  /** The same dedup key raised twice sends once (per destination). */
  dedupKey: z.string().trim().min(1).max(300),
  /** For team routing and rules' subscription filters, when the alert is about something in a subscription. */
  subscriptionId: z.string().max(100).default(''),
  tags: z.record(z.string().max(512), z.string().max(512)).default({}),
});

interface EventSpec<S extends z.ZodType> {
  readonly version: number;
  readonly topic: TopicKey;
  readonly schema: S;
}

export const events = {
  'scan.completed': { version: 1, topic: 'scanEvents', schema: scanCompletedSchema },
  'scan.vaultFailed': { version: 1, topic: 'scanEvents', schema: scanVaultFailedSchema },
  'alert.raised': { version: 1, topic: 'alertEvents', schema: alertRaisedSchema },
} as const satisfies Record<string, EventSpec<z.ZodType>>;

export type EventType = keyof typeof events;
export type EventData<T extends EventType> = z.infer<(typeof events)[T]['schema']>;
export type ScanCompleted = EventData<'scan.completed'>;
export type AlertRaised = EventData<'alert.raised'>;
