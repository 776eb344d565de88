import type { DeliveryMessage, NotifyEvent } from './notify-schemas';
import { countsText, daysText, itemLine, levelColour, title } from './notify-text';

/** Past this many items an email lists the most urgent ones and summarises the rest. */
export const EMAIL_MAX_ROWS = 50;

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Most urgent first: expired, then fewest days left. */
function byUrgency(a: NotifyEvent, b: NotifyEvent): number {
  return (a.item.daysRemaining ?? Number.MAX_SAFE_INTEGER) - (b.item.daysRemaining ?? Number.MAX_SAFE_INTEGER);
}

const columns = ['Item', 'Type', 'Vault', 'Subscription', 'Severity', 'Expires (UTC)', 'Status'] as const;

function cells(event: NotifyEvent): string[] {
  return [
    event.item.name,
    event.item.kind,
    event.item.vaultName,
    event.item.subscriptionName || event.item.subscriptionId,
    event.action === 'resolve' ? 'resolved' : event.level,
    event.item.expiresOn ? event.item.expiresOn.slice(0, 16).replace('T', ' ') : '—',
    event.action === 'resolve' ? event.reason : daysText(event),
  ];
}

/** The notification email: a readable HTML table plus the same content as plain text. */
export function renderEmail(message: DeliveryMessage): RenderedEmail {
  const events = [...message.events].sort(byUrgency);
  const shown = events.slice(0, EMAIL_MAX_ROWS);
  const hidden = events.length - shown.length;
  const subject = title(message);
  const summary = countsText(message);
  const lead = message.summary
    ? Object.entries(message.summary).map(([key, value]) => `${key}: ${value}`)
    : [`Team: ${message.teamName}`, ...(summary ? [`Items: ${summary}`] : [])];
  const more = hidden > 0 ? `…and ${hidden} more (${events.length} in total). The dashboard lists them all.` : '';

  const text = [subject, '', ...lead, '', ...shown.map((e) => `- ${itemLine(e)}`), ...(more ? ['', more] : [])].join(
    '\n',
  );

  const rows = shown
    .map((event) => {
      const colour = event.action === 'resolve' ? '#16A34A' : levelColour[event.level];
      const tds = cells(event).map((value, i) =>
        i === 4
          ? `<td style="padding:4px 8px;color:${colour};font-weight:bold">${escapeHtml(value)}</td>`
          : `<td style="padding:4px 8px">${escapeHtml(value)}</td>`,
      );
      return `<tr>${tds.join('')}</tr>`;
    })
    .join('\n');
  const table = shown.length
    ? `<table style="border-collapse:collapse;font-family:Segoe UI,Arial,sans-serif;font-size:13px" border="1" cellspacing="0">
<thead><tr>${columns.map((c) => `<th style="padding:4px 8px;text-align:left;background:#F3F4F6">${c}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table>`
    : '';
  const html = `<!doctype html><html><body style="font-family:Segoe UI,Arial,sans-serif">
<h2 style="font-size:18px">${escapeHtml(subject)}</h2>
${lead.map((line) => `<p style="margin:2px 0">${escapeHtml(line)}</p>`).join('\n')}
${table}
${more ? `<p>${escapeHtml(more)}</p>` : ''}
<p style="color:#6B7280;font-size:12px">Sent by Keyward. Values of secrets are never read or sent.</p>
</body></html>`;
  return { subject, html, text };
}
