import { AUDIT_CHECKPOINT_FORMAT } from './audit-manifest';
import { checkDocumentSignature, type AuditVerificationKeys } from './audit-signature';

export type CheckpointsResult =
  { readonly ok: true; readonly count: number } | { readonly ok: false; readonly problem: string };

/**
 * Checks a consecutive run of signed checkpoints: each signature, the numbering (a missing checkpoint is a
 * fault), the link from each to the one before, heads that never move backwards, and, where a checkpoint's head falls inside the export,
 * that the exported row at that seq carries the checkpointed hash. A later rewrite of the chain cannot also
 * rewrite checkpoints already handed out or stored apart.
 */
export function verifyCheckpoints(
  documents: readonly unknown[],
  keys: AuditVerificationKeys,
  hashesBySeq: ReadonlyMap<number, string>,
): CheckpointsResult {
  const checkpoints: { readonly [key: string]: unknown }[] = [];
  for (const document of documents) {
    if (typeof document !== 'object' || document === null || Array.isArray(document))
      return { ok: false, problem: 'a checkpoint is not a JSON object' };
    checkpoints.push(document as { readonly [key: string]: unknown });
  }
  checkpoints.sort((a, b) => Number(a.checkpointSeq) - Number(b.checkpointSeq));
  let previous: { readonly [key: string]: unknown } | undefined;
  for (const checkpoint of checkpoints) {
    const name = `checkpoint ${String(checkpoint.checkpointSeq)}`;
    if (checkpoint.format !== AUDIT_CHECKPOINT_FORMAT) return { ok: false, problem: `${name} is not a checkpoint` };
    // Versions may mix: the first version-2 checkpoint links to the last version-1 one.
    const signature = checkDocumentSignature(checkpoint, keys);
    if (!signature.ok) {
      const why =
        signature.reason === 'wrong-key'
          ? 'from another key'
          : signature.reason === 'invalid'
            ? 'invalid: the checkpoint was altered'
            : 'unchecked';
      return { ok: false, problem: `${name} signature is ${why} (${signature.detail})` };
    }
    if (previous) {
      if (Number(checkpoint.checkpointSeq) !== Number(previous.checkpointSeq) + 1) {
        const between = `${String(previous.checkpointSeq)} and ${String(checkpoint.checkpointSeq)}`;
        return { ok: false, problem: `checkpoints between ${between} are missing` };
      }
      const previousSignature = (previous.signature as { value?: unknown }).value;
      if (checkpoint.prevCheckpointSignature !== previousSignature)
        return { ok: false, problem: `${name} does not link to the checkpoint before it` };
    }
    if (previous && Number(checkpoint.headSeq) < Number(previous.headSeq))
      return {
        ok: false,
        problem: `${name} has a head earlier than the checkpoint before it: the chain was rolled back`,
      };
    const exported = hashesBySeq.get(Number(checkpoint.headSeq));
    if (exported !== undefined && exported !== checkpoint.headHash)
      return {
        ok: false,
        problem: `${name} signed hash ${String(checkpoint.headHash)} at seq ${String(checkpoint.headSeq)}, but the export has ${exported} there: the chain was rewritten`,
      };
    previous = checkpoint;
  }
  return { ok: true, count: checkpoints.length };
}
