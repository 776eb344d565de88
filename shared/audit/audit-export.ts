import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import type { Clock } from '../time/clock';
import type { AuditChain } from './audit-chain';
import { AuditExportTooLargeError, AuditInputError, AuditStorageError } from './audit-errors';
import { renderEvidencePdf } from './audit-pdf';
import { auditFilter } from './audit-reader';
import type { AuditActor } from './audit-types';
import { seqRowKey, type AuditStore, type StoredEntry } from './audit-store';
import type { AuditSigner } from './audit-signer';
import { sha256Hex } from './verify/audit-canonical';
import { renderAuditCsv } from './verify/audit-csv';
import { AUDIT_ALGORITHM_VERSION, AUDIT_MANIFEST_FORMAT, type AuditManifest } from './verify/audit-manifest';

export const AUDIT_EXPORTS_CONTAINER = 'audit-exports';
const CSV_FILE_NAME = 'audit.csv';
/** Earliest `from` when none is given: the whole chain. */
const BEGINNING = '1970-01-01T00:00:00.000Z';

export interface AuditExportRequest {
  readonly format: 'csv' | 'pdf';
  /** Inclusive; default: the beginning of the chain. */
  readonly from?: string;
  /** Exclusive; default: now. */
  readonly to?: string;
  /** Who asked; recorded in the manifest as `<type>:<id>` and as the actor of `audit.exported`. */
  readonly actor: AuditActor;
  readonly correlationId?: string;
}

export interface AuditExportResult {
  readonly manifest: AuditManifest;
  readonly csv: Buffer;
  /** Present for `format: 'pdf'`. */
  readonly pdf?: Uint8Array;
  /** Blob names in the `audit-exports` container. */
  readonly blobs: { readonly csv: string; readonly manifest: string; readonly pdf?: string };
}

export interface AuditExporterDeps {
  readonly store: AuditStore;
  readonly chain: AuditChain;
  readonly container: ContainerClient;
  readonly clock: Clock;
  readonly signer: AuditSigner;
  readonly tenant: { readonly id: string; readonly name: string };
  readonly maxRows: number;
}

/**
 * Exports a time range of the chain as CSV plus a manifest signed by the Key Vault key (and, for PDF, the evidence bundle),
 * writes them to Blob Storage without overwriting anything, and records the export in the chain itself.
 * Rows are read up to the head settled at the start, so the export is a consistent contiguous slice.
 */
export function createAuditExporter(deps: AuditExporterDeps) {
  const { store, chain, container, clock, signer, tenant, maxRows } = deps;

  async function readRange(from: string, to: string, headSeq: number): Promise<StoredEntry[]> {
    const filter = `${auditFilter({ from, to })} and ${odata`RowKey le ${seqRowKey(headSeq)}`}`;
    const rows: StoredEntry[] = [];
    let token: string | undefined;
    do {
      const page = await store.queryEntries(filter, 1000, token);
      rows.push(...page.entries);
      if (rows.length > maxRows)
        throw new AuditExportTooLargeError(`the range holds more than ${maxRows} entries: export a shorter range`);
      token = page.continuationToken;
    } while (token);
    return rows.sort((a, b) => a.seq - b.seq);
  }

  return async function exportAudit(request: AuditExportRequest): Promise<AuditExportResult> {
    const now = clock.now();
    const from = isoOrEmpty(request.from ?? BEGINNING);
    const to = isoOrEmpty(request.to ?? now.toISOString());
    if (!from || !to || from >= to)
      throw new AuditInputError('the export range needs ISO timestamps with from before to');
    const head = await chain.settledHead();
    const rows = await readRange(from, to, head.seq);
    const csv = Buffer.from(renderAuditCsv(rows.map((row) => ({ ...row, seq: String(row.seq) }))), 'utf8');
    const first = rows[0];
    const last = rows.at(-1);
    const manifest = await signer.sign<AuditManifest>({
      format: AUDIT_MANIFEST_FORMAT,
      algorithmVersion: AUDIT_ALGORITHM_VERSION,
      tenant: tenant.id,
      scope: 'Keyward audit trail (all actions)',
      range: { from, to },
      rowCount: rows.length,
      firstSeq: first?.seq ?? null,
      lastSeq: last?.seq ?? null,
      firstHash: first?.hash ?? null,
      lastHash: last?.hash ?? null,
      chainHeadSeq: head.seq,
      chainHeadHash: head.hash,
      csvFileName: CSV_FILE_NAME,
      csvSha256: sha256Hex(csv),
      generatedAt: now.toISOString(),
      generatedBy: `${request.actor.type}:${request.actor.id}`,
    });
    const pdf =
      request.format === 'pdf'
        ? await renderEvidencePdf({ csv, manifest, tenantName: tenant.name, generatedAt: now })
        : undefined;

    const folder = `exports/${manifest.generatedAt.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    const blobs = {
      csv: `${folder}/${CSV_FILE_NAME}`,
      manifest: `${folder}/manifest.json`,
      ...(pdf ? { pdf: `${folder}/evidence.pdf` } : {}),
    };
    await upload(container, blobs.csv, csv, 'text/csv; charset=utf-8');
    await upload(container, blobs.manifest, Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), 'application/json');
    if (pdf && blobs.pdf) await upload(container, blobs.pdf, pdf, 'application/pdf');

    await chain.append({
      actor: request.actor,
      action: 'audit.exported',
      target: `${AUDIT_EXPORTS_CONTAINER}/${folder}`,
      outcome: 'success',
      details: {
        format: request.format,
        from,
        to,
        rowCount: rows.length,
        firstSeq: manifest.firstSeq,
        lastSeq: manifest.lastSeq,
        csvSha256: manifest.csvSha256,
      },
      correlationId: request.correlationId ?? '',
    });
    return { manifest, csv, ...(pdf ? { pdf } : {}), blobs };
  };
}

/** Writes a blob that must not exist yet (`If-None-Match: *`): an export is never overwritten. */
export async function upload(
  container: ContainerClient,
  name: string,
  data: Uint8Array,
  contentType: string,
): Promise<void> {
  try {
    await container.getBlockBlobClient(name).uploadData(data, {
      blobHTTPHeaders: { blobContentType: contentType },
      conditions: { ifNoneMatch: '*' },
    });
  } catch (error) {
    throw new AuditStorageError(`writing ${name} to ${AUDIT_EXPORTS_CONTAINER} failed`, { cause: error });
  }
}

function isoOrEmpty(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
