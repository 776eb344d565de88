import type { ContainerClient } from '@azure/storage-blob';
import type { Clock } from '../time/clock';
import type { AuditChain } from './audit-chain';
import { AuditStorageError } from './audit-errors';
import { upload } from './audit-export';
import type { AuditSigner } from './audit-signer';
import type { AuditStore } from './audit-store';
import { AUDIT_ALGORITHM_VERSION, AUDIT_CHECKPOINT_FORMAT, type AuditCheckpoint } from './verify/audit-manifest';

/** Blob name of checkpoint n in the `audit-exports` container. */
export function checkpointBlobName(checkpointSeq: number): string {
  return `checkpoints/${String(checkpointSeq).padStart(12, '0')}.json`;
}

/**
 * Signed checkpoints of the chain head, after CloudTrail's hourly digests: the timer calls `writeCheckpoint`
 * at a fixed cadence whether or not anything was appended, so two checkpoints with the same head prove that
 * nothing was recorded between them, and a chain rewritten later disagrees with the hashes already signed.
 * Each checkpoint carries the previous one's signature, so a missing checkpoint is visible too.
 * The table row is the record; the blob copy is the one kept apart from the chain (put an immutability
 * policy on the container in production).
 */
export function createAuditCheckpoints(deps: {
  store: AuditStore;
  chain: AuditChain;
  container: ContainerClient;
  clock: Clock;
  signer: AuditSigner;
}) {
  const { store, chain, container, clock, signer } = deps;

  async function latest(): Promise<AuditCheckpoint | null> {
    const document = await store.readLatestCheckpoint();
    return document ? (JSON.parse(document) as AuditCheckpoint) : null;
  }

  /** Copies a checkpoint to Blob Storage unless it is already there (a retried tick completes the copy). */
  async function copyToBlob(checkpoint: AuditCheckpoint): Promise<void> {
    const blob = container.getBlockBlobClient(checkpointBlobName(checkpoint.checkpointSeq));
    try {
      if (await blob.exists()) return;
    } catch (error) {
      throw new AuditStorageError('reading the checkpoint blob failed', { cause: error });
    }
    await upload(container, blob.name, Buffer.from(JSON.stringify(checkpoint, null, 2) + '\n'), 'application/json');
  }

  return {
    async writeCheckpoint(): Promise<AuditCheckpoint> {
      const head = await chain.settledHead();
      const previous = await latest();
      const checkpoint = await signer.sign<AuditCheckpoint>({
        format: AUDIT_CHECKPOINT_FORMAT,
        algorithmVersion: AUDIT_ALGORITHM_VERSION,
        checkpointSeq: (previous?.checkpointSeq ?? 0) + 1,
        at: clock.now().toISOString(),
        headSeq: head.seq,
        headHash: head.hash,
        // The first version-2 checkpoint links to the last version-1 (HMAC) one.
        prevCheckpointSignature: previous?.signature.value ?? '',
      });
      const written = (await store.insertCheckpoint(checkpoint.checkpointSeq, JSON.stringify(checkpoint)))
        ? checkpoint
        : await latest();
      if (!written) throw new AuditStorageError('the checkpoint vanished after a conflicting write');
      await copyToBlob(written);
      return written;
    },

    /** All checkpoints, oldest first (one a tick: about 8,800 a year at an hourly cadence). */
    async listCheckpoints(): Promise<AuditCheckpoint[]> {
      return (await store.listCheckpoints()).map((document) => JSON.parse(document) as AuditCheckpoint);
    },
  };
}
