import { useState } from 'preact/hooks';
import { api, messageOf, post } from '../api';
import { ErrorMessage, formatDate, Notice, Show } from '../components';
import { useSession } from '../session';
import type { Loaded } from '../use-api';
import type { RotationRecordList, RotationRecordView } from './rotation-types';

type Draft = Pick<RotationRecordView, 'intervalDays' | 'rotateBeforeExpiryDays' | 'overlapDays' | 'automatic'>;

/** Edits a record's schedule (admins): interval, rotate-before-expiry, overlap, automatic. */
function RecordForm(props: { record: RotationRecordView; onSaved: () => void; onCancel: () => void }) {
  const { record } = props;
  const [draft, setDraft] = useState<Draft>({
    intervalDays: record.intervalDays,
    rotateBeforeExpiryDays: record.rotateBeforeExpiryDays,
    overlapDays: record.overlapDays,
    automatic: record.automatic,
  });
  const [error, setError] = useState<string>();
  const number = (key: 'intervalDays' | 'rotateBeforeExpiryDays' | 'overlapDays', label: string) => (
    <label>
      {label}{' '}
      <input
        type="number"
        min={0}
        value={draft[key]}
        onInput={(e) => setDraft({ ...draft, [key]: Number(e.currentTarget.value) })}
      />
    </label>
  );
  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      await api('PUT', `/api/automation/rotation/records/${record.id}`, draft);
      props.onSaved();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <form onSubmit={(e) => void save(e)} aria-label={`Schedule of ${record.appDisplayName}`}>
      {number('intervalDays', 'Interval (days)')}
      {number('rotateBeforeExpiryDays', 'Rotate before expiry (days)')}
      {number('overlapDays', 'Overlap (days)')}
      <label>
        <input
          type="checkbox"
          checked={draft.automatic}
          onChange={(e) => setDraft({ ...draft, automatic: e.currentTarget.checked })}
        />{' '}
        Rotate automatically
      </label>
      <ErrorMessage message={error} />
      <button type="submit">Save</button>{' '}
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** Rotation records with "Rotate now" (operators) and edit (admins). */
export function RotationRecordsSection({
  records,
  onRotated,
}: {
  records: Loaded<RotationRecordList>;
  onRotated: () => void;
}) {
  const { isAdmin, canOperate } = useSession();
  const [editing, setEditing] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const rotate = async (record: RotationRecordView): Promise<void> => {
    setError(undefined);
    setNotice(undefined);
    try {
      const { rotationId } = await post<{ rotationId: string }>(`/api/automation/rotation/records/${record.id}/rotate`);
      setNotice(`Rotation ${rotationId} of ${record.appDisplayName} is queued; its steps appear in the history.`);
      onRotated();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="rotation-records-title">
      <h2 id="rotation-records-title">Records</h2>
      <Notice message={notice} />
      <ErrorMessage message={error} />
      <Show load={records} label="Rotation records">
        {(data) =>
          data.records.length === 0 ? (
            <p>No records yet: create one with POST /api/automation/rotation/records (see docs/rotation.md).</p>
          ) : (
            <table>
              <caption class="sr-only">Rotation records</caption>
              <thead>
                <tr>
                  <th scope="col">Application</th>
                  <th scope="col">Type</th>
                  <th scope="col">Targets</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last rotated</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.records.map((record) => (
                  <tr key={record.id} data-testid={`record-${record.id}`}>
                    <td>{record.appDisplayName}</td>
                    <td>{record.credentialType}</td>
                    <td class="mono small">
                      {record.targets.map((t) => `${t.vaultUri.replace(/^https:\/\//, '')}/${t.secretName}`).join(', ')}
                    </td>
                    <td>
                      every {record.intervalDays} d, {record.rotateBeforeExpiryDays} d before expiry, overlap{' '}
                      {record.overlapDays} d, {record.automatic ? 'automatic' : 'manual'}
                    </td>
                    <td>{formatDate(record.credentialEndDateTime)}</td>
                    <td>{formatDate(record.lastRotatedAt)}</td>
                    <td>
                      {canOperate ? (
                        <button type="button" onClick={() => void rotate(record)}>
                          Rotate now<span class="sr-only"> {record.appDisplayName}</span>
                        </button>
                      ) : null}{' '}
                      {isAdmin ? (
                        <button type="button" onClick={() => setEditing(editing === record.id ? undefined : record.id)}>
                          Edit<span class="sr-only"> {record.appDisplayName}</span>
                        </button>
                      ) : null}
                      {editing === record.id ? (
                        <RecordForm
                          record={record}
                          onCancel={() => setEditing(undefined)}
                          onSaved={() => (setEditing(undefined), records.reload())}
                        />
                      ) : null}
                    </td>
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
