import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../time/clock';
import { AuditInputError, AuditStorageError } from './audit-errors';
import { REDACTED, isSensitiveValue, redactDetails } from './audit-redact';
import { auditAppendInputSchema } from './audit-schemas';
import type { AuditAppendInput } from './audit-types';
import type { AuditCounters, AuditStore, ChainHead, StoredEntry } from './audit-store';
import { GENESIS_HASH, canonicalJson, hashEntry, type JsonValue } from './verify/audit-canonical';

/** Details whose canonical JSON is longer are replaced by a marker: a Table string property holds 32K chars. */
const MAX_DETAILS_CHARS = 16_000;
const MAX_ATTEMPTS = 100;

const EMPTY_HEAD: ChainHead = {
  seq: 0,
  hash: GENESIS_HASH,
  lastTimestamp: '',
  counters: { byAction: {}, byOutcome: {}, day: '', dayCount: 0 },
};

/**
 * The append protocol. Entries exist for seq 1..head.seq and at most one more (head.seq + 1): an entry is
 * written, insert-if-absent, only at the seq after the head its writer read, and the head moves only onto an
 * entry that exists. So two writers can never both own a seq (no fork), and a writer that crashes after
 * writing its entry but before moving the head leaves that entry for the next appender (or a reader) to adopt
 * (no gap). A lost race costs one retry with jittered backoff.
 */
export function createAuditChain(deps: { store: AuditStore; clock: Clock }) {
  const { store, clock } = deps;

  async function readHead(): Promise<ChainHead> {
    return (await store.readHead()) ?? EMPTY_HEAD;
  }

  /** Moves the head from `head` onto `entry` (its successor). A lost ETag race means someone else did it. */
  async function advanceHead(head: ChainHead, entry: StoredEntry): Promise<void> {
    const next = {
      seq: entry.seq,
      hash: entry.hash,
      lastTimestamp: entry.timestamp,
      counters: count(head.counters, entry),
    };
    await store.writeHead(next, head.etag);
  }

  /** Adopts an entry left beyond the head by a writer that stopped half-way; returns the settled head. */
  async function settledHead(): Promise<ChainHead> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await readHead();
      const pending = await store.readEntry(head.seq + 1);
      if (!pending) return head;
      await advanceHead(head, pending);
    }
    throw new AuditStorageError('the audit chain head did not settle');
  }

  /**
   * Appends of one process go one at a time: they would only race each other for the same head, and under a
   * burst (hundreds of vault errors in one scan) the lost races cost far more round trips than the appends (200 at
   * once on Azurite: 17 s racing, 1.3 s queued). Writers in other processes still race through the protocol below.
   */
  let tail: Promise<unknown> = Promise.resolve();
  function append(input: AuditAppendInput): Promise<StoredEntry> {
    const run = tail.then(() => appendNow(input));
    tail = run.catch(() => undefined);
    return run;
  }

  async function appendNow(input: AuditAppendInput): Promise<StoredEntry> {
    const parsed = auditAppendInputSchema.safeParse(input);
    if (!parsed.success) throw new AuditInputError(`invalid audit entry: ${parsed.error.message}`);
    const { actor, action, outcome, correlationId } = parsed.data;
    const details = boundDetails(redactDetails(parsed.data.details));
    const target = isSensitiveValue(parsed.data.target) ? REDACTED : parsed.data.target;

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await readHead();
      const now = clock.now().toISOString();
      const fields = {
        seq: head.seq + 1,
        // Never earlier than the entry before, so seq order is time order and a time range is a seq range.
        timestamp: now > head.lastTimestamp ? now : head.lastTimestamp,
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        action,
        target,
        outcome,
        details,
        correlationId,
        prevHash: head.hash,
      };
      const entry: StoredEntry = { ...fields, details: canonicalJson(details), hash: hashEntry(fields) };
      if (await store.insertEntry(entry)) {
        await advanceHead(head, entry);
        return entry;
      }
      // Someone else owns this seq: help move the head onto it, then try the next seq.
      const taken = await store.readEntry(fields.seq);
      if (taken) await advanceHead(head, taken);
      await sleep(Math.random() * Math.min(40, 2 ** attempt));
    }
    throw new AuditStorageError('audit append stayed contended beyond the retry budget');
  }

  return { append, settledHead, readHead };
}

export type AuditChain = ReturnType<typeof createAuditChain>;

function boundDetails(details: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  const length = canonicalJson(details).length;
  return length <= MAX_DETAILS_CHARS ? details : { truncated: true, originalLength: length };
}

function count(counters: AuditCounters, entry: StoredEntry): AuditCounters {
  const day = entry.timestamp.slice(0, 10);
  return {
    byAction: { ...counters.byAction, [entry.action]: (counters.byAction[entry.action] ?? 0) + 1 },
    byOutcome: { ...counters.byOutcome, [entry.outcome]: (counters.byOutcome[entry.outcome] ?? 0) + 1 },
    day,
    dayCount: day === counters.day ? counters.dayCount + 1 : 1,
  };
}
