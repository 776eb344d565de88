import { useState } from 'preact/hooks';
import type { ExpiringItem } from '../api-types';
import { formatDay, SeverityBadge } from '../components';
import { DataTable } from '../data-table';
import { SnoozeForm } from './snooze-form';

/** Expiring items as a table; a team column where `teamOf` is given, a snooze form per row where `onSnoozed` is. */
export function ItemsTable(props: {
  rows: readonly ExpiringItem[];
  caption: string;
  teamOf?: ((item: ExpiringItem) => string) | undefined;
  onSnoozed?: ((message: string) => void) | undefined;
}) {
  const { rows, caption, teamOf, onSnoozed } = props;
  const [snoozing, setSnoozing] = useState<string>();
  return (
    <DataTable
      caption={caption}
      empty="No items here."
      rows={rows}
      rowKey={(item) => item.id}
      columns={[
        { header: 'Name', cell: (item) => item.itemName },
        { header: 'Type', cell: (item) => item.itemType },
        { header: 'Vault', cell: (item) => item.vaultName ?? '—' },
        { header: 'Subscription', cell: (item) => item.subscriptionName ?? '—' },
        teamOf !== undefined && { header: 'Team', cell: teamOf },
        { header: 'Expires', cell: (item) => formatDay(item.expiresAt) },
        { header: 'Days left', class: 'num', cell: (item) => item.daysRemaining },
        { header: 'Severity', cell: (item) => <SeverityBadge severity={item.severity} /> },
        onSnoozed !== undefined && {
          header: 'Snooze',
          cell: (item) =>
            snoozing === item.id ? (
              <SnoozeForm item={item} onDone={(m) => (onSnoozed(m), setSnoozing(undefined))} />
            ) : (
              <button type="button" class="secondary" onClick={() => setSnoozing(item.id)}>
                Snooze…<span class="sr-only"> {item.itemName}</span>
              </button>
            ),
        },
      ]}
    />
  );
}
