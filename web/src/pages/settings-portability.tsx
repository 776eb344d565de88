import { useState } from 'preact/hooks';
import { get, messageOf, post } from '../api';
import type { ConfigDocument, ImportResult } from '../api-types';
import { ErrorMessage, Notice } from '../components';
import { download } from '../download';
import { useSession } from '../session';

/** Downloads the configuration document (no secrets); still allowed after the trial has ended. */
export function ExportConfigButton() {
  const [error, setError] = useState<string>();
  const run = async (): Promise<void> => {
    setError(undefined);
    try {
      const document = await get<ConfigDocument>('/api/export');
      download('keyward-config.json', JSON.stringify(document, null, 2), 'application/json');
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <span class="action">
      <button type="button" class="secondary" onClick={() => void run()}>
        Download configuration
      </button>
      <ErrorMessage message={error} />
    </span>
  );
}

function describe(result: ImportResult): string {
  if (!result.changed) return 'Nothing to change: the file matches the configuration in force.';
  const changes = result.changes.map((c) => `${c.change} ${c.path}`).join(', ');
  return `Imported: ${changes}.${result.warnings.length > 0 ? ` Note: ${result.warnings.join(' ')}` : ''}`;
}

/** Configuration export (operators) and import (admins), VaultGuard360's portability, without secrets. */
export function PortabilitySettings() {
  const { isAdmin, canOperate } = useSession();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  if (!canOperate) return null;
  const upload = async (file: File | undefined): Promise<void> => {
    setMessage(undefined);
    setError(undefined);
    if (!file) return;
    try {
      const document: unknown = JSON.parse(await file.text());
      setMessage(describe(await post<ImportResult>('/api/import', document)));
    } catch (e) {
      setError(e instanceof SyntaxError ? 'That file is not JSON.' : messageOf(e));
    }
  };
  return (
    <section aria-labelledby="portability-title" class="panel">
      <h2 id="portability-title">Configuration file</h2>
      <p class="muted">Thresholds, settings, reminder modes, routes and channel switches; never secrets or URLs.</p>
      <div class="actions">
        <ExportConfigButton />
        {isAdmin ? (
          <label>
            Import a configuration file
            <input
              type="file"
              accept="application/json,.json"
              onChange={(e) => void upload(e.currentTarget.files?.[0])}
            />
          </label>
        ) : null}
      </div>
      <Notice message={message} />
      <ErrorMessage message={error} />
    </section>
  );
}
