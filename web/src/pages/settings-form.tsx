import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { messageOf, post } from '../api';
import type { TestResult } from '../api-types';
import { ErrorMessage, Notice } from '../components';
import { useSession } from '../session';

/**
 * One settings section as a form: admins get a Save button and see the outcome; operators only the `extra`
 * actions (test sends, which the API allows them); readers see the values in a disabled fieldset, no controls.
 */
export function SettingsForm(props: {
  title: string;
  id: string;
  onSave: () => Promise<string>;
  children: ComponentChildren;
  extra?: ComponentChildren;
}) {
  const { isAdmin, canOperate } = useSession();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setMessage(undefined);
    setError(undefined);
    try {
      setMessage(await props.onSave());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={props.id} class="panel">
      <h2 id={props.id}>{props.title}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset disabled={!isAdmin || busy}>
          <legend class="sr-only">{props.title}</legend>
          {props.children}
        </fieldset>
        {canOperate ? (
          <div class="actions">
            {isAdmin ? (
              <button type="submit" disabled={busy}>
                Save<span class="sr-only"> {props.title.toLowerCase()}</span>
              </button>
            ) : null}
            {props.extra}
          </div>
        ) : null}
        <Notice message={message} />
        <ErrorMessage message={error} />
      </form>
    </section>
  );
}

/** Sends a test through the API; the API answers 200 with whether it went out, and why not. */
export async function runTest(path: string, body: unknown): Promise<string> {
  const result = await post<TestResult>(path, body);
  if (!result.success) throw new Error(`Test failed: ${result.message}`);
  return result.message;
}

/** A button that runs one action (a test send) and reports what happened next to itself. */
export function ActionButton({ label, run }: { label: string; run: () => Promise<string> }) {
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const click = async (): Promise<void> => {
    setBusy(true);
    setMessage(undefined);
    setError(undefined);
    try {
      setMessage(await run());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button type="button" class="secondary" disabled={busy} onClick={() => void click()}>
        {label}
      </button>
      <Notice message={message} />
      <ErrorMessage message={error} />
    </span>
  );
}
