import { useState } from 'preact/hooks';
import type { ExpiringItem } from '../api-types';
import { formatDay, SeverityBadge } from '../components';
import { SnoozeForm } from './snooze-form';

/** One page of expiring items; operators get a snooze form per row. */
export function ItemsTable(props: {
  rows: readonly ExpiringItem[];
  teamOf: ((item: ExpiringItem) => string) | undefined;
  canOperate: boolean;
  onSnoozed: (message: string) => void;
}) {
  const { rows, teamOf, canOperate, onSnoozed } = props;
  const [snoozing, setSnoozing] = useState<string>();
  return (
    <table>
      <caption class="sr-only">Expiring items</caption>
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
          {canOperate ? <th scope="col">Snooze</th> : null}
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
            {canOperate ? (
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
