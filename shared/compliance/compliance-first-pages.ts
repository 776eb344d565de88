import { ruleSeverities, type RuleSeverity } from './compliance-rule-types';
import type { StoredViolation } from './compliance-violations';

/**
 * The first page of the violations list for its common filters (status, optionally severity), kept as one row per
 * filter in `complianceState` and rewritten whenever violations change. Opening the Compliance page then costs one
 * point read however many violations are stored — a query, even on one partition, costs what the store scans (all
 * of it in Azurite, up to a page's worth of matches in Table Storage, more with a selective filter). Pages after the
 * first continue with a keyset query (`RowKey gt` the last row shown), in the same order: violations sort by id.
 */
export const FIRST_PAGE_SIZE = 200;
/** Table Storage caps a string property at 64 KiB (32K UTF-16 characters): a page is split across properties. */
const CHUNK_CHARS = 30_000;
/** Our continuation tokens start with this; the SDK's are base64 and never contain ':'. */
const AFTER = 'after:';

export type PageStatus = 'open' | 'waived';

export interface FirstPage {
  readonly status: PageStatus;
  readonly severity: RuleSeverity | null;
  /** Violations matching the filter, in row-key (id) order: the first FIRST_PAGE_SIZE of them. */
  readonly violations: readonly StoredViolation[];
  /** Whether more match than the page holds. */
  readonly more: boolean;
}

export const firstPageRowKey = (status: PageStatus, severity: RuleSeverity | null): string =>
  `${status}|${severity ?? '*'}`;

/** Every first page, computed from all open and waived violations (what the evaluation holds after reconciling). */
export function firstPages(unresolved: Iterable<StoredViolation>): FirstPage[] {
  const sorted = [...unresolved].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: FirstPage[] = [];
  for (const status of ['open', 'waived'] as const) {
    for (const severity of [null, ...ruleSeverities]) {
      const matching = sorted.filter((v) => v.status === status && (severity === null || v.severity === severity));
      out.push({
        status,
        severity,
        violations: matching.slice(0, FIRST_PAGE_SIZE),
        more: matching.length > FIRST_PAGE_SIZE,
      });
    }
  }
  return out;
}

/** Open and waived violations after the evaluation's changes are applied to what it read. */
export function unresolvedAfter(
  previous: ReadonlyMap<string, StoredViolation>,
  changes: readonly StoredViolation[],
): StoredViolation[] {
  const out = new Map(previous);
  for (const v of changes) {
    if (v.status === 'resolved') out.delete(v.id);
    else out.set(v.id, v);
  }
  return [...out.values()];
}

export function toPageEntity(page: FirstPage): Record<string, string | boolean | number> {
  const text = JSON.stringify(page.violations);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK_CHARS) chunks.push(text.slice(i, i + CHUNK_CHARS));
  return {
    more: page.more,
    chunks: chunks.length,
    ...Object.fromEntries(chunks.map((c, i) => [`c${i}`, c])),
  };
}

export function fromPageEntity(e: Record<string, unknown>): { violations: StoredViolation[]; more: boolean } {
  const count = typeof e.chunks === 'number' ? e.chunks : 0;
  const text = Array.from({ length: count }, (_, i) => String(e[`c${i}`] ?? '')).join('');
  return { violations: text ? (JSON.parse(text) as StoredViolation[]) : [], more: e.more === true };
}

/** A token that continues after `rowKey` (a keyset: the rows after it in the same partition and filter). */
export const afterToken = (rowKey: string): string => `${AFTER}${Buffer.from(rowKey, 'utf8').toString('base64url')}`;

/** The row key an `afterToken` continues after; null for the SDK's own tokens. */
export function afterOf(token: string): string | null {
  return token.startsWith(AFTER) ? Buffer.from(token.slice(AFTER.length), 'base64url').toString('utf8') : null;
}
