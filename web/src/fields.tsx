import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';

type InputAttributes = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'onChange' | 'label'>;

/** A labelled input. It reports every keystroke, or with `lazy` only a finished value (Enter, or leaving it). */
export function InputField(
  props: InputAttributes & {
    label: ComponentChildren;
    value: string | number;
    onValue: (value: string) => void;
    lazy?: boolean;
  },
) {
  const { label, onValue, lazy, ...input } = props;
  const report = (event: JSX.TargetedEvent<HTMLInputElement>): void => onValue(event.currentTarget.value);
  return (
    <label>
      {label}
      <input {...input} {...(lazy ? { onChange: report } : { onInput: report })} />
    </label>
  );
}

/**
 * A labelled select. `options` are its values, or a record of value → label; `labelOf` labels a list's values.
 * `any` adds a first option for "no choice" (value ''), labelled with it.
 */
export function SelectField<V extends string>(props: {
  label: ComponentChildren;
  value: string;
  options: readonly V[] | Readonly<Record<V, string>>;
  onValue: (value: NoInfer<V>) => void;
  any?: string;
  labelOf?: (value: V) => ComponentChildren;
}) {
  const { label, value, options, onValue, any, labelOf } = props;
  const choices: readonly (readonly [V, ComponentChildren])[] = isList(options)
    ? options.map((option) => [option, labelOf ? labelOf(option) : option])
    : (Object.entries(options) as [V, string][]);
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onValue(e.currentTarget.value as V)}>
        {any === undefined ? null : <option value="">{any}</option>}
        {choices.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

const isList = <V extends string>(options: readonly V[] | Readonly<Record<V, string>>): options is readonly V[] =>
  Array.isArray(options);

/** A checkbox with its label after it (`class="check"` sets them side by side). */
export function CheckField(props: {
  label: ComponentChildren;
  checked: boolean;
  onValue: (checked: boolean) => void;
  class?: string;
}) {
  return (
    <label class={props.class}>
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onValue(e.currentTarget.checked)} />
      {props.label}
    </label>
  );
}

/**
 * A record of text fields being edited. `edit(key)` is a field's `onValue`; `field(key, label, attributes)`
 * is the whole labelled input; `reset` starts again from `blank`.
 */
export function useDraft<F extends Readonly<Record<string, string>>>(blank: F) {
  const [draft, setDraft] = useState(blank);
  const edit =
    (key: keyof F) =>
    (value: string): void =>
      setDraft((current) => ({ ...current, [key]: value }));
  const field = (key: keyof F & string, label: string, attributes: InputAttributes = {}) => (
    <InputField {...attributes} label={label} value={draft[key] ?? ''} onValue={edit(key)} />
  );
  return { draft, edit, field, reset: () => setDraft(blank) };
}
