import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useDraft } from './fields';

/**
 * Filters a form edits (a {@link useDraft}) apart from the ones a list reads (`applied`), so the list reloads
 * once, on Apply, not on every keystroke.
 */
export function useFilters<F extends Readonly<Record<string, string>>>(blank: F) {
  const draft = useDraft(blank);
  const [applied, setApplied] = useState(blank);
  return { ...draft, applied, apply: () => setApplied(draft.draft) };
}

/**
 * A filter bar: its fields, then "Apply filters", which calls `onApply`. Without `onApply` the fields apply as
 * they change: a live search form, with no button.
 */
export function FilterForm(props: { label: string; onApply?: () => void; children: ComponentChildren }) {
  const { label, onApply, children } = props;
  return (
    <form
      class="filters"
      role={onApply ? undefined : 'search'}
      aria-label={label}
      onSubmit={(e) => (e.preventDefault(), onApply?.())}
    >
      {children}
      {onApply ? <button type="submit">Apply filters</button> : null}
    </form>
  );
}
