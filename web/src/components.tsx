import type { ComponentChildren } from 'preact';
import type { Severity } from './api-types';
import { useSession } from './session';
import type { Loaded } from './use-api';

export function ErrorMessage({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="error" role="alert">
      {message}
    </p>
  );
}

export function Notice({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="notice" role="status">
      {message}
    </p>
  );
}

/** Renders a load's data, its error, or a short loading line — whichever applies. */
export function Show<T>(props: { load: Loaded<T>; label?: string; children: (data: T) => ComponentChildren }) {
  const { load, label, children } = props;
  if (load.error) return <ErrorMessage message={label ? `${label}: ${load.error}` : load.error} />;
  if (load.data === undefined) return <p aria-busy="true">Loading…</p>;
  return <>{children(load.data)}</>;
}

export const severityLabels: Record<Severity, string> = {
  warning: 'Warning',
  severe: 'Severe',
  critical: 'Critical',
  expired: 'Expired',
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <span class={`badge sev-${severity}`}>{severityLabels[severity as Severity] ?? severity}</span>;
}

/** A state as a coloured badge (`state-ok`, `state-forbidden`, …), with a readable label where one is given. */
export function StateBadge({ state, label }: { state: string; label?: string | undefined }) {
  return <span class={`state state-${state}`}>{label ?? state}</span>;
}

export function PageTitle({ children }: { children: ComponentChildren }) {
  return <h1>{children}</h1>;
}

/** A section labelled by its own heading; `id` ties the two together. */
export function Section(props: { id: string; title: ComponentChildren; class?: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={props.id} class={props.class}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A page only admins may use: others see its title and why there is nothing else. */
export function AdminOnly(props: { title: string; refusal: string; children: ComponentChildren }) {
  const { isAdmin } = useSession();
  return (
    <>
      <h1>{props.title}</h1>
      {isAdmin ? props.children : <p class="notice">{props.refusal}</p>}
    </>
  );
}

/** Buttons to step back and forth through pages, around where the reader is ("Page 2 of 5"). */
export function Pager(props: {
  back: string;
  forward: string;
  atStart: boolean;
  atEnd: boolean;
  onStep: (step: -1 | 1) => void;
  children: ComponentChildren;
}) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={props.atStart} onClick={() => props.onStep(-1)}>
        {props.back}
      </button>
      <span>{props.children}</span>
      <button type="button" disabled={props.atEnd} onClick={() => props.onStep(1)}>
        {props.forward}
      </button>
    </nav>
  );
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function formatDay(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

/** "ok 12, forbidden 1" — the non-zero outcome counts of a scan. */
export function outcomeSummary(outcomes: Readonly<Record<string, number>>): string {
  const parts = Object.entries(outcomes)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${outcome} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
