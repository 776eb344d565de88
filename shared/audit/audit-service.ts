import { currentCorrelationId } from '../runtime/correlation';
import type { TableClient } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import type { Clock } from '../time/clock';
import { createAuditChain } from './audit-chain';
import { createAuditCheckpoints } from './audit-checkpoint';
import { AuditStorageError } from './audit-errors';
import { createAuditExporter, type AuditExportRequest, type AuditExportResult } from './audit-export';
import { createAuditReader, toAuditEntry } from './audit-reader';
import type { AuditPublicKeyInfo, AuditSigner } from './audit-signer';
import { createAuditStore } from './audit-store';
import type { AuditAppendInput, AuditEntry, AuditListQuery, AuditListResponse, AuditStats } from './audit-types';
import type { AuditCheckpoint } from './verify/audit-manifest';

export interface AuditServiceOptions {
  /** Client for the audit table (e.g. `AuditLog`); created on first use if missing. */
  readonly table: TableClient;
  /** Client for the `audit-exports` container; created on first use if missing. */
  readonly exportsContainer: ContainerClient;
  readonly clock: Clock;
  /** Signs manifests and checkpoints with the Key Vault key (the app can sign, never read the private key). */
  readonly signer: AuditSigner;
  /** The customer's tenant, named on manifests and the evidence PDF. */
  readonly tenant: { readonly id: string; readonly name: string };
  /** Largest export one call builds in memory (default 50,000 rows). */
  readonly maxExportRows?: number;
}

export interface AuditService {
  /** Appends one entry (details redacted, then hashed) and returns it as stored. */
  append(input: AuditAppendInput): Promise<AuditEntry>;
  /** `GET /api/audit`: one page in seq order. */
  list(query: AuditListQuery): Promise<AuditListResponse>;
  /** `GET /api/audit/stats`. */
  stats(): Promise<AuditStats>;
  /** `GET /api/audit/export`: CSV + signed manifest (+ PDF), written to `audit-exports` and returned. */
  exportTrail(request: AuditExportRequest): Promise<AuditExportResult>;
  /** Called by the checkpoint timer at a fixed cadence, including when nothing was appended. */
  writeCheckpoint(): Promise<AuditCheckpoint>;
  listCheckpoints(): Promise<AuditCheckpoint[]>;
  /** `GET /api/audit/public-key`: what verifies the signatures, current version or the one asked for. */
  publicKey(version?: string): Promise<AuditPublicKeyInfo>;
  /** Signs another feature's document (algorithm version 2) with the audit key, e.g. compliance evidence manifests. */
  signDocument<T extends { readonly signature: unknown }>(unsigned: Omit<T, 'signature'>): Promise<T>;
}

export function createAuditService(options: AuditServiceOptions): AuditService {
  const { table, exportsContainer: container, clock, signer, tenant } = options;
  const store = createAuditStore(table);
  const chain = createAuditChain({ store, clock });
  const reader = createAuditReader({ store, chain, clock });
  const exportAudit = createAuditExporter({
    store,
    chain,
    container,
    clock,
    signer,
    tenant,
    maxRows: options.maxExportRows ?? 50_000,
  });
  const checkpoints = createAuditCheckpoints({ store, chain, container, clock, signer });

  // Creating the table and container is idempotent; done once per process, retried after a failure.
  let ready: Promise<void> | undefined;
  const ensure = (): Promise<void> => {
    ready ??= Promise.all([table.createTable(), container.createIfNotExists()]).then(
      () => undefined,
      (error: unknown) => {
        ready = undefined;
        throw new AuditStorageError('creating the audit table or container failed', { cause: error });
      },
    );
    return ready;
  };
  const after =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await ensure();
      return operation(...args);
    };

  return {
    // An entry names the request or timer it happened under unless the caller says otherwise.
    append: after(async (input: AuditAppendInput) =>
      toAuditEntry(await chain.append({ ...input, correlationId: input.correlationId ?? currentCorrelationId() })),
    ),
    list: after(reader.list),
    stats: after(reader.stats),
    exportTrail: after(exportAudit),
    writeCheckpoint: after(checkpoints.writeCheckpoint),
    listCheckpoints: after(checkpoints.listCheckpoints),
    publicKey: (version) => signer.publicKey(version),
    signDocument: (unsigned) => signer.sign(unsigned),
  };
}
