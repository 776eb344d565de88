import { useState } from 'preact/hooks';
import { api, post } from '../api';
import { ErrorMessage, formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { CheckField, InputField } from '../fields';
import { useSession } from '../session';
import { ActionStatus, useAction } from '../use-action';
import type { Loaded } from '../use-api';
import type { RotationApi } from './rotation-types';

type RotationRecord = RotationApi['record'];

type Draft = Pick<RotationRecord, 'intervalDays' | 'rotateBeforeExpiryDays' | 'overlapDays' | 'automatic'>;

/** Edits a record's schedule (admins): interval, rotate-before-expiry, overlap, automatic. */
function RecordForm(props: { record: RotationRecord; onSaved: () => void; onCancel: () => void }) {
  const { record } = props;
  const [draft, setDraft] = useState<Draft>({
    intervalDays: record.intervalDays,
    rotateBeforeExpiryDays: record.rotateBeforeExpiryDays,
    overlapDays: record.overlapDays,
    automatic: record.automatic,
  });
  const save = useAction();
  const number = (key: 'intervalDays' | 'rotateBeforeExpiryDays' | 'overlapDays', label: string) => (
    <InputField
      label={label}
      type="number"
      min={0}
      value={draft[key]}
      onValue={(value) => setDraft({ ...draft, [key]: Number(value) })}
    />
  );
  const submit = (event: Event) => {
    event.preventDefault();
    void save.run(async () => {
      await api('PUT', `/api/automation/rotation/records/${record.id}`, draft);
      props.onSaved();
    });
  };
  return (
    <form onSubmit={submit} aria-label={`Schedule of ${record.appDisplayName}`}>
      {number('intervalDays', 'Interval (days)')}
      {number('rotateBeforeExpiryDays', 'Rotate before expiry (days)')}
      {number('overlapDays', 'Overlap (days)')}
      <CheckField
        label=" Rotate automatically"
        checked={draft.automatic}
        onValue={(automatic) => setDraft({ ...draft, automatic })}
      />
      <ErrorMessage message={save.error} />
      <button type="submit">Save</button>{' '}
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}

const targetsText = (record: RotationRecord): string =>
  record.targets.map((t) => `${t.vaultUri.replace(/^https:\/\//, '')}/${t.secretName}`).join(', ');

const scheduleText = (record: RotationRecord): string =>
  `every ${record.intervalDays} d, ${record.rotateBeforeExpiryDays} d before expiry, overlap ${record.overlapDays} d, ` +
  (record.automatic ? 'automatic' : 'manual');

/** Rotation records with "Rotate now" (operators) and edit (admins). */
export function RotationRecordsSection({
  records,
  onRotated,
}: {
  records: Loaded<RotationApi['recordList']>;
  onRotated: () => void;
}) {
  const { isAdmin, canOperate } = useSession();
  const [editing, setEditing] = useState<string>();
  const rotation = useAction();
  const rotate = (record: RotationRecord) =>
    rotation.run(async () => {
      const { rotationId } = await post<{ rotationId: string }>(`/api/automation/rotation/records/${record.id}/rotate`);
      onRotated();
      return `Rotation ${rotationId} of ${record.appDisplayName} is queued; its steps appear in the history.`;
    });
  return (
    <Section id="rotation-records-title" title="Records">
      <ActionStatus action={rotation} />
      <Show load={records} label="Rotation records">
        {(data) => (
          <DataTable
            caption="Rotation records"
            empty="No records yet: create one with POST /api/automation/rotation/records (see docs/rotation.md)."
            rows={data.records}
            rowKey={(record) => record.id}
            rowTestId={(record) => `record-${record.id}`}
            columns={[
              { header: 'Application', cell: (record) => record.appDisplayName },
              { header: 'Type', cell: (record) => record.credentialType },
              { header: 'Targets', class: 'mono small', cell: targetsText },
              { header: 'Schedule', cell: scheduleText },
              { header: 'Expires', cell: (record) => formatDate(record.credentialEndDateTime) },
              { header: 'Last rotated', cell: (record) => formatDate(record.lastRotatedAt) },
              {
                header: 'Actions',
                cell: (record) => (
                  <>
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
                  </>
                ),
              },
            ]}
          />
        )}
      </Show>
    </Section>
  );
}
