import { useState } from 'preact/hooks';
import type { ExpiringItem } from '../api-types';
import { formatDay, SeverityBadge } from '../components';
import { SnoozeForm } from './snooze-form';

/** Expiring items as a table; a team column where `teamOf` is given, a snooze form per row where `onSnoozed` is. */
export function ItemsTable(props: {
  rows: readonly ExpiringItem[];
  caption: string;
  teamOf?: ((item: ExpiringItem) => string) | undefined;
  onSnoozed?: ((message: string) => void) | undefined;
}) {
  const { rows, caption, teamOf, onSnoozed } = props;
  if (rows.length === 0) return <p>No items here.</p>;
  const [snoozing, setSnoozing] = useState<string>();
  return (
    <table>
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Vault</th>
          <th scope="col">Subscription</th>
          {teamOf ? <th scope="col">Team</th> : null}
          <th scope="col">Expires</th>
          <th scope="col">Days left</th>
          <th scope="col">Severity</th>
          {onSnoozed ? <th scope="col">Snooze</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((item) => (
          <tr key={item.id}>
            <td>{item.itemName}</td>
            <td>{item.itemType}</td>
            <td>{item.vaultName ?? '—'}</td>
            <td>{item.subscriptionName ?? '—'}</td>
            {teamOf ? <td>{teamOf(item)}</td> : null}
            <td>{formatDay(item.expiresAt)}</td>
            <td class="num">{item.daysRemaining}</td>
            <td>
              <SeverityBadge severity={item.severity} />
            </td>
            {onSnoozed ? (
              <td>
                {snoozing === item.id ? (
                  <SnoozeForm item={item} onDone={(m) => (onSnoozed(m), setSnoozing(undefined))} />
                ) : (
                  <button type="button" class="secondary" onClick={() => setSnoozing(item.id)}>
                    Snooze…<span class="sr-only"> {item.itemName}</span>
                  </button>
                )}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
