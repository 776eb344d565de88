import { odata } from '@azure/data-tables';
import type { Clock } from '../time/clock';
import type { AuditChain } from './audit-chain';
import { AuditInputError } from './audit-errors';
import { auditListQuerySchema, auditOutcomes } from './audit-schemas';
import type { AuditStore, StoredEntry } from './audit-store';
import type { AuditEntry, AuditListQuery, AuditListResponse, AuditOutcome, AuditStats } from './audit-types';

/** Turns a stored row into the API shape (details parsed back from their canonical JSON). */
export function toAuditEntry(entry: StoredEntry): AuditEntry {
  return {
    seq: entry.seq,
    timestamp: entry.timestamp,
    actor: { type: entry.actorType as AuditEntry['actor']['type'], id: entry.actorId, name: entry.actorName },
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome as AuditOutcome,
    details: JSON.parse(entry.details) as Record<string, unknown>,
    correlationId: entry.correlationId,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

/**
 * OData clause for the list filters. Timestamps are compared as ISO strings (all stored as
 * `YYYY-MM-DDTHH:mm:ss.sssZ`); an action filter matches that action and every action under it as a dotted
 * prefix (`discovery.scan` matches `discovery.scan.started`, not `discovery.scanner`).
 */
export function auditFilter(query: {
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  target?: string;
  outcome?: string;
  correlationId?: string;
}): string {
  const clauses: string[] = [];
  if (query.from) clauses.push(odata`occurredAt ge ${new Date(query.from).toISOString()}`);
  if (query.to) clauses.push(odata`occurredAt lt ${new Date(query.to).toISOString()}`);
  if (query.action) {
    const prefix = query.action.replace(/\.+$/, '');
    clauses.push(odata`(action eq ${prefix} or (action ge ${prefix + '.'} and action lt ${prefix + '/'}))`);
  }
  if (query.actor) clauses.push(odata`actorId eq ${query.actor}`);
  if (query.target) clauses.push(odata`target eq ${query.target}`);
  if (query.outcome) clauses.push(odata`outcome eq ${query.outcome}`);
  if (query.correlationId) clauses.push(odata`correlationId eq ${query.correlationId}`);
  return clauses.join(' and ');
}

export function createAuditReader(deps: { store: AuditStore; chain: AuditChain; clock: Clock }) {
  const { store, chain, clock } = deps;
  return {
    /**
     * One page of entries in seq order. Table Storage evaluates the filters server-side within the `entry`
     * partition, so a narrow filter over a long chain can return short or empty pages with a token: page on.
     */
    async list(query: AuditListQuery): Promise<AuditListResponse> {
      const parsed = auditListQuerySchema.safeParse(query);
      if (!parsed.success) throw new AuditInputError(`invalid audit query: ${parsed.error.message}`);
      const { limit, continuationToken, ...filters } = parsed.data;
      const page = await store.queryEntries(auditFilter(filters), limit, continuationToken);
      const entries = page.entries.map(toAuditEntry);
      return page.continuationToken ? { entries, continuationToken: page.continuationToken } : { entries };
    },

    /** Counters maintained on the chain head: two point reads whatever the chain length. "Today" is UTC. */
    async stats(): Promise<AuditStats> {
      const head = await chain.settledHead();
      const today = clock.now().toISOString().slice(0, 10);
      const byOutcome = Object.fromEntries(auditOutcomes.map((o) => [o, head.counters.byOutcome[o] ?? 0])) as Record<
        AuditOutcome,
        number
      >;
      return {
        total: head.seq,
        today: head.counters.day === today ? head.counters.dayCount : 0,
        byOutcome,
        byAction: { ...head.counters.byAction },
        headSeq: head.seq,
        headHash: head.hash,
      };
    },
  };
}
