import { useState } from 'preact/hooks';
import { messageOf } from './api';
import { ErrorMessage, Notice } from './components';

/** The state of one kind of user action (a save, a test send, a replay) and the way to run it. */
export interface Action {
  readonly busy: boolean;
  readonly notice: string | undefined;
  readonly error: string | undefined;
  /** Runs `call`: a string it answers becomes the notice, what it throws the error; both are cleared first. */
  run(call: () => Promise<unknown>): Promise<void>;
}

/** Busy while an action runs, then its outcome as a notice or an error: never an unhandled rejection. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const run = async (call: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setNotice(undefined);
    setError(undefined);
    try {
      const answer = await call();
      setNotice(typeof answer === 'string' ? answer : undefined);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, notice, error, run };
}

/** An action's outcome: its notice and its error, each shown only when there is one. */
export function ActionStatus({ action }: { action: Pick<Action, 'notice' | 'error'> }) {
  return (
    <>
      <Notice message={action.notice} />
      <ErrorMessage message={action.error} />
    </>
  );
}

/** One button per variant of an action (an export's formats, by label); all wait while one runs. */
export function ActionButtons<V extends string>(props: {
  labels: Readonly<Record<V, string>>;
  run: (variant: V) => Promise<unknown>;
}) {
  const action = useAction();
  return (
    <div class="actions">
      {(Object.entries(props.labels) as [V, string][]).map(([variant, label]) => (
        <button
          key={variant}
          type="button"
          disabled={action.busy}
          onClick={() => void action.run(() => props.run(variant))}
        >
          {label}
        </button>
      ))}
      <ActionStatus action={action} />
    </div>
  );
}
