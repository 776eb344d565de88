import { api, post } from '../api';
import { ErrorMessage } from '../components';
import { useSession } from '../session';
import { useAction } from '../use-action';
import type { SyncApi, SyncConfig } from './sync-types';

/** A record's actions: sync now (operators); adopt or skip a conflict (admins). */
export function RecordActions({
  record,
  onDone,
}: {
  record: SyncApi['recordView'];
  onDone: (message: string) => void;
}) {
  const { isAdmin, canOperate } = useSession();
  const action = useAction();
  const run = (call: () => Promise<string>) => action.run(async () => onDone(await call()));
  const resolve = (decision: 'adopt' | 'skip', message: string) =>
    run(async () => {
      await post(`/api/automation/sync/records/${record.id}/resolve`, { decision });
      return message;
    });
  return (
    <>
      {canOperate && (
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const r = await post<SyncApi['syncNowResult']>(`/api/automation/sync/records/${record.id}/sync`);
              return r.queued ? `Sync of ${record.sourceName} queued.` : `${record.sourceName} is unchanged.`;
            })
          }
        >
          Sync now
        </button>
      )}
      {isAdmin && record.status === 'conflict' && (
        <>
          {' '}
          <button
            type="button"
            onClick={() => void resolve('adopt', `Keyward will take over ${record.targetName} (audited).`)}
          >
            Adopt
          </button>{' '}
          <button type="button" onClick={() => void resolve('skip', `${record.targetName} will be left alone.`)}>
            Skip
          </button>
        </>
      )}
      <ErrorMessage message={action.error} />
    </>
  );
}

/** A destination's actions: test, dry run and sync (operators); edit and remove (admins). */
export function ConfigActions(props: {
  config: SyncConfig;
  act: (call: () => Promise<string | undefined>) => void;
  onDryRun: (result: SyncApi['dryRun']) => void;
  onEdit: () => void;
}) {
  const { config: c, act } = props;
  const { isAdmin, canOperate } = useSession();
  return (
    <>
      {canOperate && (
        <>
          <button
            type="button"
            onClick={() =>
              act(async () => {
                const r = await post<SyncApi['connectionTest']>(`/api/automation/sync/configs/${c.id}/test`);
                return r.ok ? `${c.name}: connected.` : `${c.name}: the destination answered ${r.error ?? 'an error'}.`;
              })
            }
          >
            Test connection
          </button>{' '}
          <button
            type="button"
            onClick={() =>
              act(async () => {
                props.onDryRun(await post<SyncApi['dryRun']>(`/api/automation/sync/configs/${c.id}/dry-run`));
                return undefined;
              })
            }
          >
            Dry run
          </button>{' '}
          <button
            type="button"
            disabled={!c.enabled}
            onClick={() =>
              act(async () => {
                const r = await post<SyncApi['syncNowResult']>(`/api/automation/sync/configs/${c.id}/sync`);
                return `${c.name}: ${r.queued} object(s) queued.`;
              })
            }
          >
            Sync now
          </button>
        </>
      )}
      {isAdmin && (
        <>
          {' '}
          <button type="button" onClick={props.onEdit}>
            Edit
          </button>{' '}
          <button
            type="button"
            onClick={() =>
              act(async () => {
                if (!window.confirm(`Remove ${c.name}? Targets stay as they are.`)) return undefined;
                await api('DELETE', `/api/automation/sync/configs/${c.id}`);
                return `${c.name} removed.`;
              })
            }
          >
            Remove
          </button>
        </>
      )}
    </>
  );
}
