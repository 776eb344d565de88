import { get, post } from '../api';
import type { ConfigDocument, ImportResult } from '../api-types';
import { ErrorMessage, Section } from '../components';
import { download } from '../download';
import { useSession } from '../session';
import { ActionStatus, useAction } from '../use-action';

/** Downloads the configuration document (no secrets); still allowed after the trial has ended. */
export function ExportConfigButton() {
  const action = useAction();
  const run = () =>
    action.run(async () => {
      const document = await get<ConfigDocument>('/api/export');
      download('keyward-config.json', JSON.stringify(document, null, 2), 'application/json');
    });
  return (
    <span class="action">
      <button type="button" class="secondary" onClick={() => void run()}>
        Download configuration
      </button>
      <ErrorMessage message={action.error} />
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
  const action = useAction();
  if (!canOperate) return null;
  const upload = (file: File | undefined) =>
    action.run(async () => {
      if (!file) return undefined;
      const text = await file.text();
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        throw new Error('That file is not JSON.');
      }
      return describe(await post<ImportResult>('/api/import', document));
    });
  return (
    <Section id="portability-title" title="Configuration file" class="panel">
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
      <ActionStatus action={action} />
    </Section>
  );
}
