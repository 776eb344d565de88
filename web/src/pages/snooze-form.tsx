import { useState } from 'preact/hooks';
import { api, messageOf } from '../api';
import type { ExpiringItem } from '../api-types';
import { ErrorMessage } from '../components';

/** Snoozes one item's notifications until a date, with a reason (audited by the API), or lifts a snooze. */
export function SnoozeForm({ item, onDone }: { item: ExpiringItem; onDone: (message: string) => void }) {
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const path = `/api/expiring-items/${encodeURIComponent(item.id)}/snooze`;
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    try {
      await api('POST', path, { until: new Date(`${until}T00:00:00Z`).toISOString(), reason });
      onDone(`${item.itemName} is snoozed until ${until}.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const unsnooze = async (): Promise<void> => {
    setError(undefined);
    try {
      await api('DELETE', path);
      onDone(`${item.itemName} is no longer snoozed.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)} aria-label={`Snooze ${item.itemName}`}>
      <label>
        Until <input type="date" required value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
      </label>
      <label>
        Reason <input required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <button type="submit">Snooze</button>
      <button type="button" class="secondary" onClick={() => void unsnooze()}>
        Unsnooze
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
