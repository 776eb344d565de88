import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, messageOf, post } from './api';
import type { DiscoveryScanDetail, DiscoveryStart } from './api-types';
import { ErrorMessage } from './components';

const POLL_MS = 1000;

/**
 * "Run scan now" (operators): starts a full scan (or joins the running one). Whoever started it, a running
 * scan's status is polled until it completes, showing vaults done / total; `onFinished` then reloads the page.
 */
export function ScanRunner(props: { running: string | undefined; canStart: boolean; onFinished: () => void }) {
  const { running: alreadyRunning, canStart, onFinished } = props;
  const [scanId, setScanId] = useState<string>();
  useEffect(() => {
    if (alreadyRunning) setScanId(alreadyRunning);
  }, [alreadyRunning]);
  const [scan, setScan] = useState<DiscoveryScanDetail>();
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (!scanId) return;
    let live = true;
    let timer: number | undefined;
    const poll = async (): Promise<void> => {
      try {
        const current = await get<DiscoveryScanDetail>(`/api/assets/discovery/scans/${encodeURIComponent(scanId)}`);
        if (!live) return;
        setScan(current);
        if (current.status === 'completed') return onFinished();
      } catch (e) {
        if (!live) return;
        // A brand-new scan may not be readable for a moment; keep polling unless it is a real failure.
        if (!(e instanceof ApiFailure && e.status === 404)) return setError(messageOf(e));
      }
      timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [scanId, onFinished]);

  const start = async (): Promise<void> => {
    setStarting(true);
    setError(undefined);
    setScan(undefined);
    try {
      const started = await post<DiscoveryStart>('/api/assets/discovery/scan', { mode: 'full' });
      setScanId(started.scanId);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setStarting(false);
    }
  };

  const running = scanId !== undefined && scan?.status !== 'completed' && !error;
  const { vaultsDone = 0, vaultsTotal = 0, planned = false } = scan?.progress ?? {};
  return (
    <div class="scan-runner">
      {canStart ? (
        <button type="button" onClick={() => void start()} disabled={starting || running}>
          {running ? 'Scanning…' : 'Run scan now'}
        </button>
      ) : null}
      {running || scan ? (
        <div class="progress" aria-live="polite">
          <progress
            aria-label="Scan progress"
            max={Math.max(1, vaultsTotal)}
            value={scan?.status === 'completed' ? Math.max(1, vaultsTotal) : vaultsDone}
          />
          <span data-testid="scan-status">
            {scan?.status === 'completed'
              ? `Scan completed: ${scan.vaultsFound} vaults, ${scan.itemsScanned} items.`
              : planned
                ? `Scanning: ${vaultsDone} of ${vaultsTotal} vaults done.`
                : 'Planning the scan…'}
          </span>
        </div>
      ) : null}
      <ErrorMessage message={error} />
    </div>
  );
}
