import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { storeCall, storeGet } from '../runtime/store-errors';
import { submitActions } from '../runtime/table-transactions';
import {
  afterOf,
  afterToken,
  FIRST_PAGE_SIZE,
  firstPageRowKey,
  firstPages,
  fromPageEntity,
  toPageEntity,
} from './compliance-first-pages';
import type { CustomRule, RuleSettings, Waiver } from './compliance-types';
import type { StoredViolation } from './compliance-violations';
import type { Evidence, RuleSeverity } from './compliance-rule-types';

export const COMPLIANCE_RULES_TABLE = 'complianceRules';
export const COMPLIANCE_VIOLATIONS_TABLE = 'complianceViolations';
export const COMPLIANCE_STATE_TABLE = 'complianceState';

/**
 * Violations are partitioned by status, so the default listing (open) and the evaluation's read (open and waived)
 * read one partition each instead of filtering every violation ever seen. A resolved violation keeps its row as
 * history under `<id>_<resolvedAt>`, so the same rule and resource failing again opens a fresh row.
 */
const statusPartition = (status: StoredViolation['status']): string => status;
const rowKeyOf = (v: StoredViolation): string => (v.status === 'resolved' ? `${v.id}_${v.resolvedAt ?? ''}` : v.id);

/** Per-rule counts of the last evaluation (waived failures apart), kept on the summary row. */
export interface RuleTally {
  readonly ruleId: string;
  readonly passed: number;
  readonly failed: number;
  readonly waived: number;
  readonly notEvaluated: number;
  readonly budgetExceeded: boolean;
}

/** The last evaluation: what the score, frameworks and rules endpoints read (one row). */
export interface EvaluationSummary {
  readonly scanId: string;
  readonly completedAt: string;
  readonly evaluatedAt: string;
  readonly tallies: readonly RuleTally[];
  /** Rule id → severity and title at evaluation time (custom rules may change later). */
  readonly rules: Readonly<Record<string, { readonly severity: RuleSeverity; readonly title: string }>>;
}

export interface TrendPoint {
  readonly scanId: string;
  readonly at: string;
  readonly score: number | null;
}

/** Row keys that sort newest first. */
const inverted = (iso: string): string => String(9_999_999_999_999 - Date.parse(iso)).padStart(13, '0');

function toViolationEntity(v: StoredViolation) {
  return {
    partitionKey: statusPartition(v.status),
    rowKey: rowKeyOf(v),
    violationId: v.id,
    ruleId: v.ruleId,
    ruleTitle: v.ruleTitle,
    severity: v.severity,
    scope: v.resource.scope,
    resourceKey: v.resource.key,
    resourceName: v.resource.name,
    vaultName: v.resource.vaultName,
    subscriptionId: v.resource.subscriptionId,
    status: v.status,
    firstSeen: v.firstSeen,
    lastSeen: v.lastSeen,
    resolvedAt: v.resolvedAt ?? '',
    evidence: JSON.stringify(v.evidence),
    waiver: v.waiver ? JSON.stringify(v.waiver) : '',
  };
}

function fromViolationEntity(e: Record<string, unknown>): StoredViolation {
  const s = (k: string): string => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    id: s('violationId') || s('rowKey'),
    ruleId: s('ruleId'),
    ruleTitle: s('ruleTitle'),
    severity: s('severity') as RuleSeverity,
    resource: {
      scope: s('scope') as StoredViolation['resource']['scope'],
      key: s('resourceKey'),
      name: s('resourceName'),
      vaultName: s('vaultName'),
      subscriptionId: s('subscriptionId'),
    },
    status: s('status') as StoredViolation['status'],
    firstSeen: s('firstSeen'),
    lastSeen: s('lastSeen'),
    resolvedAt: s('resolvedAt') || null,
    evidence: s('evidence') ? (JSON.parse(s('evidence')) as Evidence) : {},
    waiver: s('waiver') ? (JSON.parse(s('waiver')) as Waiver) : null,
  };
}

export interface ViolationFilter {
  readonly status: StoredViolation['status'];
  readonly severity?: RuleSeverity;
  readonly ruleIds?: readonly string[];
  readonly vaultName?: string;
  readonly subscriptionId?: string;
}

function violationFilter(f: ViolationFilter & { status: StoredViolation['status'] }): string {
  const parts = [odata`PartitionKey eq ${statusPartition(f.status)}`];
  if (f.severity) parts.push(odata`severity eq ${f.severity}`);
  if (f.vaultName) parts.push(odata`vaultName eq ${f.vaultName}`);
  if (f.subscriptionId) parts.push(odata`subscriptionId eq ${f.subscriptionId}`);
  if (f.ruleIds) {
    if (f.ruleIds.length === 0) return odata`PartitionKey eq ${'none'}`;
    parts.push(`(${f.ruleIds.map((id) => odata`ruleId eq ${id}`).join(' or ')})`);
  }
  return parts.join(' and ');
}

/** Rules (admin settings, custom rules), violations and the evaluation summary in Table Storage. */
export function createComplianceStore(tables: {
  rules: () => Promise<TableClient>;
  violations: () => Promise<TableClient>;
  state: () => Promise<TableClient>;
}) {
  return {
    async readRuleSettings(): Promise<Map<string, RuleSettings>> {
      const client = await tables.rules();
      const out = new Map<string, RuleSettings>();
      await storeCall('compliance.rules.list', async () => {
        for await (const e of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'builtin'}` } })) {
          out.set(e.rowKey ?? '', {
            enabled: e.enabled === true,
            params: JSON.parse(String(e.params ?? '{}')) as RuleSettings['params'],
          });
        }
      });
      return out;
    },
    async putRuleSettings(ruleId: string, settings: RuleSettings): Promise<void> {
      const client = await tables.rules();
      await storeCall('compliance.rules.put', () =>
        client.upsertEntity(
          {
            partitionKey: 'builtin',
            rowKey: ruleId,
            enabled: settings.enabled,
            params: JSON.stringify(settings.params),
          },
          'Replace',
        ),
      );
    },
    async listCustomRules(): Promise<CustomRule[]> {
      const client = await tables.rules();
      const out: CustomRule[] = [];
      await storeCall('compliance.custom.list', async () => {
        for await (const e of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'custom'}` } })) {
          out.push(JSON.parse(String(e.rule)) as CustomRule);
        }
      });
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async getCustomRule(id: string): Promise<CustomRule | null> {
      const client = await tables.rules();
      const e = await storeGet('compliance.custom.get', () => client.getEntity('custom', id));
      return e ? (JSON.parse(String(e.rule)) as CustomRule) : null;
    },
    async putCustomRule(rule: CustomRule): Promise<void> {
      const client = await tables.rules();
      await storeCall('compliance.custom.put', () =>
        client.upsertEntity({ partitionKey: 'custom', rowKey: rule.id, rule: JSON.stringify(rule) }, 'Replace'),
      );
    },
    async deleteCustomRule(id: string): Promise<void> {
      const client = await tables.rules();
      await storeCall('compliance.custom.delete', () => client.deleteEntity('custom', id));
    },

    /** Every violation not resolved (the evaluation reconciles against these). */
    async readUnresolved(): Promise<Map<string, StoredViolation>> {
      const client = await tables.violations();
      const out = new Map<string, StoredViolation>();
      // Open first: a waive that crashed between its two writes leaves both rows, and the waived one wins.
      for (const status of ['open', 'waived'] as const) {
        const filter = odata`PartitionKey eq ${statusPartition(status)}`;
        await storeCall('compliance.violations.read', async () => {
          for await (const e of client.listEntities({ queryOptions: { filter } })) {
            const v = fromViolationEntity(e);
            out.set(v.id, v);
          }
        });
      }
      return out;
    },
    /**
     * Writes violations in their status partitions and removes the rows they leave (`previous` holds what was read
     * before the change). The new row is written first: a crash in between leaves a duplicate the next read
     * collapses, never a lost violation.
     */
    async putViolations(
      violations: readonly StoredViolation[],
      previous: ReadonlyMap<string, StoredViolation> = new Map(),
    ): Promise<void> {
      const client = await tables.violations();
      const upserts = violations.map((v): TransactionAction => ['upsert', toViolationEntity(v), 'Replace']);
      await submitActions(client, 'compliance.violations.put', upserts, 4);
      const moved = violations.flatMap((v): TransactionAction[] => {
        const old = previous.get(v.id);
        if (!old || (old.status === v.status && rowKeyOf(old) === rowKeyOf(v))) return [];
        return [['delete', { partitionKey: statusPartition(old.status), rowKey: rowKeyOf(old) }]];
      });
      await submitActions(client, 'compliance.violations.move', moved, 4);
    },
    /** An open or waived violation by id (what a waiver acts on). */
    async getViolation(id: string): Promise<StoredViolation | null> {
      const client = await tables.violations();
      for (const status of ['waived', 'open'] as const) {
        const e = await storeGet('compliance.violations.get', () => client.getEntity(statusPartition(status), id));
        if (e) return fromViolationEntity(e);
      }
      return null;
    },
    /** Rewrites every stored first page from all open and waived violations (compliance-first-pages.ts). */
    async putFirstPages(unresolved: Iterable<StoredViolation>): Promise<void> {
      const client = await tables.state();
      await storeCall('compliance.pages.put', async () => {
        for (const page of firstPages(unresolved)) {
          const rowKey = firstPageRowKey(page.status, page.severity);
          await client.upsertEntity({ partitionKey: 'firstPage', rowKey, ...toPageEntity(page) }, 'Replace');
        }
      });
    },
    /**
     * One page of violations. The first page of a status with at most a severity filter is one stored row; any other
     * page is a query filtered server-side (the filter's fields are plain properties) that continues after the last
     * row key shown (`afterToken`), or with the SDK's token when a page came back empty.
     */
    async queryViolations(
      filter: ViolationFilter,
      pageSize: number,
      continuationToken?: string,
    ): Promise<{ violations: StoredViolation[]; continuationToken: string | null }> {
      const status = filter.status;
      const common = !filter.ruleIds && !filter.vaultName && !filter.subscriptionId && status !== 'resolved';
      if (!continuationToken && common && pageSize <= FIRST_PAGE_SIZE) {
        const client = await tables.state();
        const rowKey = firstPageRowKey(status, filter.severity ?? null);
        const e = await storeGet('compliance.pages.get', () => client.getEntity('firstPage', rowKey));
        if (e) {
          const stored = fromPageEntity(e);
          const shown = stored.violations.slice(0, pageSize);
          const last = shown.at(-1);
          const more = stored.more || stored.violations.length > pageSize;
          return { violations: shown, continuationToken: more && last ? afterToken(rowKeyOf(last)) : null };
        }
      }
      const after = continuationToken ? afterOf(continuationToken) : null;
      const query =
        after === null ? violationFilter(filter) : `${violationFilter(filter)} and ${odata`RowKey gt ${after}`}`;
      const sdkToken = after === null ? continuationToken : undefined;
      const client = await tables.violations();
      const page = await storeCall('compliance.violations.query', async () => {
        const pages = client
          .listEntities({ queryOptions: { filter: query } })
          .byPage({ maxPageSize: pageSize, ...(sdkToken ? { continuationToken: sdkToken } : {}) });
        const first = await pages.next();
        return first.done ? null : first.value;
      });
      if (!page) return { violations: [], continuationToken: null };
      const violations = page.map((e) => fromViolationEntity(e));
      const last = violations.at(-1);
      const next = page.continuationToken ? (last ? afterToken(rowKeyOf(last)) : page.continuationToken) : null;
      return { violations, continuationToken: next };
    },

    async readSummary(): Promise<EvaluationSummary | null> {
      const client = await tables.state();
      const e = await storeGet('compliance.summary.get', () => client.getEntity('latest', 'summary'));
      return e ? (JSON.parse(String(e.summary)) as EvaluationSummary) : null;
    },
    async putSummary(summary: EvaluationSummary, point: TrendPoint): Promise<void> {
      const client = await tables.state();
      await storeCall('compliance.summary.put', async () => {
        await client.upsertEntity(
          {
            partitionKey: 'trend',
            rowKey: `${inverted(point.at)}_${point.scanId}`,
            ...point,
            score: point.score ?? -1,
          },
          'Replace',
        );
        await client.upsertEntity(
          { partitionKey: 'latest', rowKey: 'summary', summary: JSON.stringify(summary) },
          'Replace',
        );
      });
    },
    /** The newest `limit` trend points, oldest first. */
    async readTrend(limit: number): Promise<TrendPoint[]> {
      const client = await tables.state();
      const out: TrendPoint[] = [];
      await storeCall('compliance.trend.read', async () => {
        const pages = client
          .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'trend'}` } })
          .byPage({ maxPageSize: limit });
        const first = await pages.next();
        for (const e of first.done ? [] : first.value) {
          const score = typeof e.score === 'number' && e.score >= 0 ? e.score : null;
          out.push({ scanId: String(e.scanId), at: String(e.at), score });
        }
      });
      return out.reverse();
    },
  };
}

export type ComplianceStore = ReturnType<typeof createComplianceStore>;
