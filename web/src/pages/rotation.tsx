import { useState } from 'preact/hooks';
import { messageOf, post } from '../api';
import { ErrorMessage, formatDate, Notice, Show } from '../components';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { RotationHistorySection } from './rotation-history';
import { RotationRecordsSection } from './rotation-records';
import type { RotationInventory, RotationRecordList } from './rotation-types';

/** App registrations from the last discovery: credentials, owners, next expiry, and whether a record covers them. */
function InventorySection() {
  const { isAdmin } = useSession();
  const inventory = useApi<RotationInventory>('/api/automation/rotation/inventory');
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const discover = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const found = await post<{ applications: number; credentials: number; matchedSecrets: number }>(
        '/api/automation/rotation/discover',
      );
      setNotice(
        `Found ${found.applications} applications, ${found.credentials} credentials, ${found.matchedSecrets} vault secrets holding them.`,
      );
      inventory.reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="rotation-inventory-title">
      <h2 id="rotation-inventory-title">Inventory</h2>
      {isAdmin ? (
        <button type="button" disabled={busy} onClick={() => void discover()}>
          Discover app registrations
        </button>
      ) : null}
      <Notice message={notice} />
      <ErrorMessage message={error} />
      <Show load={inventory} label="Rotation inventory">
        {(data) =>
          data.applications.length === 0 ? (
            <p>Nothing discovered yet.</p>
          ) : (
            <table>
              <caption>
                {data.total} applications, discovered {formatDate(data.discoveredAt)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Application</th>
                  <th scope="col">Secrets</th>
                  <th scope="col">Certificates</th>
                  <th scope="col">Next expiry</th>
                  <th scope="col">Owners</th>
                  <th scope="col">Covered</th>
                </tr>
              </thead>
              <tbody>
                {data.applications.map((app) => (
                  <tr key={app.appObjectId}>
                    <td>
                      {app.displayName}
                      <div class="mono small">{app.appId}</div>
                    </td>
                    <td class="num">{app.passwordCount}</td>
                    <td class="num">{app.certificateCount}</td>
                    <td>{formatDate(app.nextExpiry)}</td>
                    <td>{app.owners.join(', ') || '—'}</td>
                    <td>{app.covered ? 'yes' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}

/** Rotation: the inventory, the records with "Rotate now", and the history with each rotation's steps. */
export function RotationPage() {
  const records = useApi<RotationRecordList>('/api/automation/rotation/records');
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
