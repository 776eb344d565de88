import { severityRank, type Severity } from '../inventory/severity';
import type {
  AlertingSeverity,
  EventReason,
  NotifyEvent,
  NotifyItem,
  ReminderMode,
  ThresholdLevel,
} from './notify-schemas';

/** What the notifier remembers about one item between scans. */
export interface ReminderState {
  readonly item: NotifyItem;
  /** The level last notified (or silently adopted while snoozed). */
  readonly level: AlertingSeverity;
  /** When the item entered `level`; weekly windows count from here. */
  readonly enteredAt: string;
  readonly lastNotifiedAt: string | null;
  /** Every level a trigger went out for, so a resolve can close each PagerDuty incident. */
  readonly levels: readonly AlertingSeverity[];
}

export interface Snooze {
  readonly until: string;
  readonly reason: string;
}

export interface ReminderPolicy {
  readonly modes: Readonly<Record<ThresholdLevel, ReminderMode>>;
  /** Per-threshold switches (VaultGuard360's days30/14/7Enabled); `expired` always notifies. */
  readonly enabled: Readonly<Record<ThresholdLevel, boolean>>;
}

export interface ReminderInput {
  readonly scanId: string;
  readonly now: Date;
  /** Items seen by this scan, already classified with the current thresholds. */
  readonly items: readonly NotifyItem[];
  /** State from previous scans, by item id. */
  readonly previous: ReadonlyMap<string, ReminderState>;
  readonly snoozes: ReadonlyMap<string, Snooze>;
  /** Scopes (vaults, the directory) this scan could not read: their items are unknown, not deleted. */
  readonly unreachableScopes: ReadonlySet<string>;
  readonly policy: ReminderPolicy;
}

export interface ReminderOutcome {
  readonly events: NotifyEvent[];
  /** New state per item id; `null` deletes it (resolved). Items not listed keep their state. */
  readonly state: Map<string, ReminderState | null>;
}

const DAY_MS = 86_400_000;
const utcDay = (at: Date): number => Math.floor(at.getTime() / DAY_MS);
const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

const isAlerting = (severity: Severity): severity is AlertingSeverity => severityRank[severity] > 0;
const thresholdOf = (level: AlertingSeverity): ThresholdLevel => (level === 'expired' ? 'critical' : level);

/**
 * The reminder window a notification at `now` falls in. It is part of the dedup key, so one window sends once
 * however often the evaluation runs: every scan is its own window; daily windows are UTC days; weekly windows
 * are 7-day blocks counted from the day the item entered its level (so the reminder comes a week after the
 * first alert, not on a calendar boundary); `once` has one window per entry into a level.
 */
export function reminderWindow(mode: ReminderMode, scanId: string, enteredAt: Date, now: Date): string {
  const entered = utcDay(enteredAt);
  switch (mode) {
    case 'every_scan':
      return `scan:${scanId}`;
    case 'daily':
      return `day:${isoDay(utcDay(now))}`;
    case 'weekly':
      return `week:${isoDay(entered)}+${Math.floor((utcDay(now) - entered) / 7)}`;
    case 'once':
      return `once:${isoDay(entered)}`;
  }
}

/** Whether a reminder is due for an item that stayed in its level since `lastNotifiedAt`. */
function reminderDue(mode: ReminderMode, state: ReminderState, now: Date): boolean {
  if (state.lastNotifiedAt === null) return true;
  const last = new Date(state.lastNotifiedAt);
  switch (mode) {
    case 'every_scan':
      return true;
    case 'daily':
      return utcDay(now) > utcDay(last);
    case 'weekly': {
      const entered = utcDay(new Date(state.enteredAt));
      return Math.floor((utcDay(now) - entered) / 7) > Math.floor((utcDay(last) - entered) / 7);
    }
    case 'once':
      return false;
  }
}

/** A level change compares with the last level notified: a snooze may have adopted a level silently. */
function reasonFor(severity: AlertingSeverity, changed: boolean, prev: ReminderState | undefined): EventReason {
  if (!prev) return 'entered';
  if (!changed && prev.lastNotifiedAt !== null) return 'reminder';
  const announced = Math.max(0, ...prev.levels.map((level) => severityRank[level]));
  if (prev.levels.length === 0) return 'entered';
  return severityRank[severity] > announced ? 'escalated' : 'changed';
}

const eventKey = (itemId: string, level: string, window: string): string => `${itemId}|${level}|${window}`;

/**
 * Decides, for one scan, which items notify and what each remembers next time. Pure: same input, same output,
 * so a re-run of the same scan produces the same event keys and the delivery dedup absorbs it.
 */
export function evaluateReminders(input: ReminderInput): ReminderOutcome {
  const { now, policy } = input;
  const nowIso = now.toISOString();
  const events: NotifyEvent[] = [];
  const state = new Map<string, ReminderState | null>();
  const seen = new Set<string>();

  const resolve = (prev: ReminderState, item: NotifyItem, reason: 'renewed' | 'deleted'): void => {
    state.set(item.id, null);
    // Nothing went out (snoozed throughout), so there is nothing to close.
    if (prev.levels.length === 0) return;
    events.push({
      key: eventKey(item.id, 'resolved', `entered:${prev.enteredAt}`),
      action: 'resolve',
      reason,
      alertType: 'secret_expiring',
      level: prev.level,
      item,
      levels: [...prev.levels],
    });
  };

  for (const item of input.items) {
    seen.add(item.id);
    const prev = input.previous.get(item.id);
    const severity = item.severity;
    if (!isAlerting(severity)) {
      // Renewed out of every window (or never in one): close what was open.
      if (prev) resolve(prev, item, 'renewed');
      continue;
    }
    const threshold = thresholdOf(severity);
    if (severity !== 'expired' && !policy.enabled[threshold]) continue;
    const mode = policy.modes[threshold];
    const changed = !prev || prev.level !== severity;
    const enteredAt = changed ? now : new Date(prev.enteredAt);
    const snooze = input.snoozes.get(item.id);
    const snoozed = snooze !== undefined && new Date(snooze.until).getTime() > now.getTime();

    if (snoozed) {
      // Silent while snoozed; a level change is adopted without a notification so the snooze is honoured,
      // and the reminder cadence resumes from it once the snooze ends.
      if (changed)
        state.set(item.id, {
          item,
          level: severity,
          enteredAt: nowIso,
          lastNotifiedAt: null,
          levels: prev?.levels ?? [],
        });
      else state.set(item.id, { ...prev, item });
      continue;
    }
    if (!changed && !reminderDue(mode, prev, now)) {
      state.set(item.id, { ...prev, item });
      continue;
    }
    const reason = reasonFor(severity, changed, prev);
    const levels = prev?.levels.includes(severity) ? prev.levels : [...(prev?.levels ?? []), severity];
    events.push({
      key: eventKey(item.id, severity, reminderWindow(mode, input.scanId, enteredAt, now)),
      action: 'trigger',
      reason,
      alertType: severity === 'expired' ? 'secret_expired' : 'secret_expiring',
      level: severity,
      item,
      levels: [...levels],
    });
    state.set(item.id, { item, level: severity, enteredAt: enteredAt.toISOString(), lastNotifiedAt: nowIso, levels });
  }

  for (const [id, prev] of input.previous) {
    if (seen.has(id) || input.unreachableScopes.has(prev.item.scope)) continue;
    resolve(prev, prev.item, 'deleted');
  }
  return { events, state };
}
