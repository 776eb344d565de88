import { useState } from 'preact/hooks';
import { api } from '../api';
import type { ExpiringItem } from '../api-types';
import { ErrorMessage } from '../components';
import { InputField } from '../fields';
import { useAction } from '../use-action';

/** Snoozes one item's notifications until a date, with a reason (audited by the API), or lifts a snooze. */
export function SnoozeForm({ item, onDone }: { item: ExpiringItem; onDone: (message: string) => void }) {
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();
  const path = `/api/expiring-items/${encodeURIComponent(item.id)}/snooze`;
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api('POST', path, { until: new Date(`${until}T00:00:00Z`).toISOString(), reason });
      onDone(`${item.itemName} is snoozed until ${until}.`);
    });
  };
  const unsnooze = () =>
    action.run(async () => {
      await api('DELETE', path);
      onDone(`${item.itemName} is no longer snoozed.`);
    });
  return (
    <form class="inline-form" onSubmit={submit} aria-label={`Snooze ${item.itemName}`}>
      <InputField label="Until" type="date" required value={until} onValue={setUntil} />
      <InputField label="Reason" required maxLength={500} value={reason} onValue={setReason} />
      <button type="submit">Snooze</button>
      <button type="button" class="secondary" onClick={() => void unsnooze()}>
        Unsnooze
      </button>
      <ErrorMessage message={action.error} />
    </form>
  );
}
