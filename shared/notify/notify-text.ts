import type { AlertSeverity } from '../events/alert-catalogue';
import type { AlertingSeverity, DeliveryMessage, NotifyEvent } from './notify-schemas';

/** Words and colours shared by every channel's rendering, so an alert reads the same everywhere. */
export const levelColour: Record<AlertingSeverity, string> = {
  warning: '#EAB308',
  severe: '#F97316',
  critical: '#EF4444',
  expired: '#7F1D1D',
};

export const levelRank: Record<AlertingSeverity, number> = { warning: 1, severe: 2, critical: 3, expired: 4 };

/** A raised alert's colour level: `info` is shown as the mildest. */
const alertLevel: Record<AlertSeverity, AlertingSeverity> = {
  info: 'warning',
  warning: 'warning',
  severe: 'severe',
  critical: 'critical',
};

/** The worst level among the message's events, or a raised alert's (a message's colour and PagerDuty severity). */
export function worstLevel(message: DeliveryMessage): AlertingSeverity {
  if (message.alert) return alertLevel[message.alert.severity];
  let worst: AlertingSeverity = 'warning';
  for (const event of message.events) if (levelRank[event.level] > levelRank[worst]) worst = event.level;
  return worst;
}

export function daysText(event: NotifyEvent): string {
  const days = event.item.daysRemaining;
  if (event.item.expiresOn === null || days === null) return 'no expiry';
  if (event.level === 'expired') return days === -1 ? 'expired today' : `expired ${-days} days ago`;
  return days === 1 ? '1 day left' : `${days} days left`;
}

/** One line per item, e.g. "db-password (secret) in kv-prod — critical, 3 days left". */
export function itemLine(event: NotifyEvent): string {
  const state = event.action === 'resolve' ? `resolved (${event.reason})` : `${event.level}, ${daysText(event)}`;
  return `${event.item.name} (${event.item.kind}) in ${event.item.vaultName} — ${state}`;
}

export function title(message: DeliveryMessage): string {
  const prefix = message.test ? '[Test] ' : '';
  switch (message.alertType) {
    case 'scan_completed':
      return `${prefix}Keyward scan completed`;
    case 'vault_error':
      return `${prefix}Keyward could not read ${message.events.length || 'some'} vault(s)`;
    default: {
      if (message.alert) return `${prefix}Keyward: ${message.alert.subject}`;
      const resolved = message.events.filter((e) => e.action === 'resolve').length;
      const open = message.events.length - resolved;
      if (open === 0) return `${prefix}Keyward: ${resolved} item(s) resolved`;
      return `${prefix}Keyward: ${open} item(s) expiring or expired (${worstLevel(message)})`;
    }
  }
}

/** A raised alert's facts as "name: value" lines, in the order the producer gave them. */
export function factLines(message: DeliveryMessage): string[] {
  return Object.entries(message.alert?.facts ?? {}).map(([name, value]) => `${name}: ${String(value)}`);
}

/** Counts per level, for the summary line and the long-list summary. */
export function countsText(message: DeliveryMessage): string {
  const counts = new Map<string, number>();
  for (const event of message.events) {
    const key = event.action === 'resolve' ? 'resolved' : event.level;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([level, count]) => `${count} ${level}`).join(', ');
}
