import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { post } from '../api';
import type { TestResult } from '../api-types';
import { Section } from '../components';
import { useSession } from '../session';
import { ActionStatus, useAction } from '../use-action';

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
  const save = useAction();
  const busy = save.busy;
  const submit = (event: Event) => {
    event.preventDefault();
    void save.run(props.onSave);
  };
  return (
    <Section id={props.id} title={props.title} class="panel">
      <form onSubmit={submit}>
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
        <ActionStatus action={save} />
      </form>
    </Section>
  );
}

/** A form's value: it starts from what was loaded (through `start`), and starts again when that is loaded anew. */
export function useLoadedValue<L, T = L>(loaded: L, start: (loaded: L) => T = (l) => l as unknown as T) {
  const [value, setValue] = useState(() => start(loaded));
  useEffect(() => setValue(start(loaded)), [loaded]);
  return [value, setValue] as const;
}

/** Saves a settings body with POST and says so: a {@link SettingsForm}'s `onSave`. */
export async function postSettings(path: string, body: unknown, saved: string): Promise<string> {
  await post(path, body);
  return saved;
}

/** Sends a test through the API; the API answers 200 with whether it went out, and why not. */
export async function runTest(path: string, body: unknown): Promise<string> {
  const result = await post<TestResult>(path, body);
  if (!result.success) throw new Error(`Test failed: ${result.message}`);
  return result.message;
}

/** A button that runs one action (a test send) and reports what happened next to itself. */
export function ActionButton({ label, run }: { label: string; run: () => Promise<string> }) {
  const action = useAction();
  return (
    <span class="action">
      <button type="button" class="secondary" disabled={action.busy} onClick={() => void action.run(run)}>
        {label}
      </button>
      <ActionStatus action={action} />
    </span>
  );
}
