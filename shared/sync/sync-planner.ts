import picomatch from 'picomatch';
import { queues } from '../config/queues';
import type { SendMessages } from '../runtime/message-sender';
import type { Clock } from '../time/clock';
import { renderTargetName, targetNames } from './providers/target-names';
import { decideSource, decideTarget } from './sync-decision';
import { recordId } from './sync-keys';
import type { ProviderFor } from './sync-providers';
import type { DiffAction, DiffEntry, SyncMessage, SyncRule } from './sync-schemas';
import type { SourceObject, SourceReader } from './sync-source';
import type { StoredConfig, StoredRecord, SyncStore } from './sync-store';

export interface PlannerDeps {
  readonly store: Pick<SyncStore, 'listRecords' | 'insertRecord' | 'insertRecords' | 'getRecord' | 'replaceRecord'>;
  readonly source: Pick<SourceReader, 'list'>;
  readonly providerFor: ProviderFor;
  readonly send: SendMessages;
  readonly clock: Clock;
}

interface Planned {
  readonly entries: DiffEntry[];
  readonly messages: SyncMessage[];
}

function matches(rule: SyncRule, source: SourceObject): boolean {
  if (rule.namePattern && !picomatch.isMatch(source.name, rule.namePattern, { nocase: true })) return false;
  return Object.entries(rule.tags).every(([k, v]) => source.tags[k] === v);
}

/**
 * The message id the broker deduplicates on: one per (record, source stamp, action, last read). The last read is
 * part of it so a re-check of a whole-second stamp (sync-decision.ts) is not taken for a duplicate of the push
 * that preceded it; two planners queuing the same work still produce the same id.
 */
export const messageIdOf = (m: SyncMessage, lastReadAt: string | null): string =>
  [m.recordId, m.sourceStamp ?? 'none', m.action, lastReadAt ?? 'new'].join('.').replace(/[^0-9A-Za-z.]/g, '');

/**
 * Plans a config: lists its rules' sources (metadata only), compares each with its record and queues one message
 * per changed object. An unchanged object costs no request to the target. The dry run describes the targets of
 * changed objects to show create / update / conflict, and writes nothing anywhere.
 */
export async function planConfig(
  deps: PlannerDeps,
  config: StoredConfig,
  options: { dryRun: boolean; onlyRecordId?: string },
): Promise<Planned> {
  const now = deps.clock.now();
  const records = new Map((await deps.store.listRecords({ configId: config.id })).map((r) => [r.id, r]));
  const entries: DiffEntry[] = [];
  const messages: SyncMessage[] = [];
  const ids = new Map<SyncMessage, string>();
  const created: StoredRecord[] = [];
  const queue = (m: SyncMessage, record: StoredRecord | null) => {
    messages.push(m);
    ids.set(m, messageIdOf(m, record?.lastSyncedAt ?? null));
  };
  const seen = new Set<string>();
  const listedVaults = new Set<string>();

  for (const [ruleIndex, rule] of config.rules.entries()) {
    for (const vault of rule.sourceVaults) {
      const sources = await deps.source.list(vault, rule.kinds);
      if (!sources) continue;
      listedVaults.add(`${ruleIndex}|${vault.toLowerCase()}`);
      for (const source of sources.filter((s) => matches(rule, s))) {
        const id = recordId(config.id, ruleIndex, source.kind, vault, source.name);
        if (options.onlyRecordId && id !== options.onlyRecordId) continue;
        seen.add(id);
        const targetName = targetNames[config.provider](renderTargetName(rule.nameTemplate, vault, source.name));
        const record = records.get(id) ?? null;
        const decision = decideSource(source, record, now);
        const entry = (action: DiffAction, reason: string | null): DiffEntry => ({
          action,
          kind: source.kind,
          sourceVault: vault,
          sourceName: source.name,
          sourceUpdatedAt: source.stamp,
          targetName,
          reason,
        });
        if (decision.action === 'unchanged') {
          entries.push(entry('unchanged', null));
          continue;
        }
        if (decision.action === 'skip') {
          entries.push(entry('skip', decision.reason));
          if (!options.dryRun) await markSkipped(record, id, ruleIndex, source, targetName, decision.reason);
          continue;
        }
        if (options.dryRun) {
          const provider = await deps.providerFor(config, rule);
          const state = await provider.describe(
            targetName,
            record?.targetRef ?? null,
            source.kind === 'certificate' ? 'certificate' : 'secret',
          );
          const target = decideTarget({ targetVersion: record?.targetVersion ?? null }, state, false);
          entries.push(entry(target.action, target.action === 'conflict' ? target.reason : null));
          continue;
        }
        if (!record) created.push(newRecord(id, ruleIndex, source, targetName, 'pending', null));
        entries.push(entry(record?.lastSyncedSourceVersion ? 'update' : 'create', null));
        queue({ recordId: id, configId: config.id, action: 'push', sourceStamp: source.stamp, adopt: false }, record);
      }
    }
  }

  // Records whose source is gone from a vault that was listed: delete (when the rule says so) or keep and say so.
  for (const record of records.values()) {
    if (seen.has(record.id) || options.onlyRecordId) continue;
    if (!listedVaults.has(`${record.ruleIndex}|${record.sourceVault.toLowerCase()}`)) continue;
    if (record.status === 'deletionScheduled' || record.kind === 'key') continue;
    const rule = config.rules[record.ruleIndex];
    const deleting = rule?.deleteBehaviour === 'delete';
    entries.push({
      action: deleting ? 'would-delete' : 'retain',
      kind: record.kind,
      sourceVault: record.sourceVault,
      sourceName: record.sourceName,
      sourceUpdatedAt: null,
      targetName: record.targetName,
      reason: deleting ? null : 'the source was deleted; deletes are off, so the target is kept',
    });
    if (options.dryRun) continue;
    if (deleting) {
      queue({ recordId: record.id, configId: config.id, action: 'delete', sourceStamp: null, adopt: false }, record);
    } else if (record.status !== 'retained') {
      await deps.store.replaceRecord(
        {
          ...record,
          status: 'retained',
          reason: 'the source was deleted; deletes are off, so the target is kept',
          updatedAt: now.toISOString(),
        },
        record.etag,
      );
    }
  }

  if (created.length) await deps.store.insertRecords(created);
  if (!options.dryRun && messages.length) {
    await deps.send(
      queues.sync.name,
      messages.map((m) => ({ messageId: ids.get(m) ?? messageIdOf(m, null), body: m })),
    );
  }
  return { entries, messages };

  function newRecord(
    id: string,
    ruleIndex: number,
    source: SourceObject,
    targetName: string,
    status: StoredRecord['status'],
    reason: string | null,
  ): StoredRecord {
    return {
      id,
      configId: config.id,
      provider: config.provider,
      kind: source.kind,
      ruleIndex,
      sourceVault: source.vault,
      sourceName: source.name,
      targetName,
      targetRef: null,
      lastSyncedSourceVersion: null,
      sourceStamp: null,
      targetVersion: null,
      status,
      reason,
      lastError: null,
      lastSyncedAt: null,
      skippedByAdmin: false,
      pendingSourceVersion: null,
      pendingBaseVersion: null,
      updatedAt: now.toISOString(),
    };
  }

  async function markSkipped(
    record: (StoredRecord & { etag: string }) | null,
    id: string,
    ruleIndex: number,
    source: SourceObject,
    targetName: string,
    reason: string,
  ): Promise<void> {
    if (!record) {
      await deps.store.insertRecord(newRecord(id, ruleIndex, source, targetName, 'skipped', reason));
    } else if (record.status !== 'skipped' || record.reason !== reason) {
      if (record.skippedByAdmin && record.status === 'conflict') return;
      await deps.store.replaceRecord(
        { ...record, status: 'skipped', reason, updatedAt: now.toISOString() },
        record.etag,
      );
    }
  }
}
