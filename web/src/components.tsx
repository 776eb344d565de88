import type { ComponentChildren } from 'preact';
import type { Severity } from './api-types';
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

export function PageTitle({ children }: { children: ComponentChildren }) {
  return <h1>{children}</h1>;
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
