import { useState } from 'preact/hooks';
import { post } from '../api';
import { formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { useSession } from '../session';
import { ActionStatus, useAction } from '../use-action';
import { useApi } from '../use-api';
import { RotationHistorySection } from './rotation-history';
import { RotationRecordsSection } from './rotation-records';
import type { RotationApi } from './rotation-types';

/** App registrations from the last discovery: credentials, owners, next expiry, and whether a record covers them. */
function InventorySection() {
  const { isAdmin } = useSession();
  const inventory = useApi<RotationApi['inventory']>('/api/automation/rotation/inventory');
  const discovery = useAction();
  const discover = () =>
    discovery.run(async () => {
      const found = await post<{ applications: number; credentials: number; matchedSecrets: number }>(
        '/api/automation/rotation/discover',
      );
      inventory.reload();
      return `Found ${found.applications} applications, ${found.credentials} credentials, ${found.matchedSecrets} vault secrets holding them.`;
    });
  return (
    <Section id="rotation-inventory-title" title="Inventory">
      {isAdmin ? (
        <button type="button" disabled={discovery.busy} onClick={() => void discover()}>
          Discover app registrations
        </button>
      ) : null}
      <ActionStatus action={discovery} />
      <Show load={inventory} label="Rotation inventory">
        {(data) => (
          <DataTable
            caption={`${data.total} applications, discovered ${formatDate(data.discoveredAt)}`}
            showCaption
            empty="Nothing discovered yet."
            rows={data.applications}
            rowKey={(app) => app.appObjectId}
            columns={[
              {
                header: 'Application',
                cell: (app) => (
                  <>
                    {app.displayName}
                    <div class="mono small">{app.appId}</div>
                  </>
                ),
              },
              { header: 'Secrets', class: 'num', cell: (app) => app.passwordCount },
              { header: 'Certificates', class: 'num', cell: (app) => app.certificateCount },
              { header: 'Next expiry', cell: (app) => formatDate(app.nextExpiry) },
              { header: 'Owners', cell: (app) => app.owners.join(', ') || '—' },
              { header: 'Covered', cell: (app) => (app.covered ? 'yes' : 'no') },
            ]}
          />
        )}
      </Show>
    </Section>
  );
}

/** Rotation: the inventory, the records with "Rotate now", and the history with each rotation's steps. */
export function RotationPage() {
  const records = useApi<RotationApi['recordList']>('/api/automation/rotation/records');
  const [historyKey, setHistoryKey] = useState(0);
  return (
    <>
      <h1>Rotation</h1>
      <p>
        Keyward rotates app-registration secrets and certificates verify-then-switch: the new credential must obtain a
        token before any vault gets it, the old one stays valid for the overlap, and every step is recorded.
      </p>
      <InventorySection />
      <RotationRecordsSection records={records} onRotated={() => setHistoryKey((k) => k + 1)} />
      <RotationHistorySection key={historyKey} />
    </>
  );
}
