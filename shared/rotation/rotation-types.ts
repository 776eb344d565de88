import type { z } from 'zod';
import type {
  createRecordSchema,
  inventoryAppSchema,
  recordSchema,
  rotationSchema,
  rotationTargetSchema,
  stepSchema,
  updateRecordSchema,
} from './rotation-schemas';

export type RotationRecord = z.infer<typeof recordSchema>;
export type RotationTarget = z.infer<typeof rotationTargetSchema>;
export type CreateRecordInput = z.infer<typeof createRecordSchema>;
export type UpdateRecordInput = z.infer<typeof updateRecordSchema>;
export type Rotation = z.infer<typeof rotationSchema>;
export type RotationStep = z.infer<typeof stepSchema>;
export type InventoryApp = z.infer<typeof inventoryAppSchema>;

/**
 * What the state machine keeps beside the public rotation: facts later steps need after a crash. Identifiers only
 * (the tenant id, the planned end date, the secret version written to each target), never a value.
 */
export interface RotationWork {
  readonly tenantId: string | null;
  readonly plannedEndDateTime: string | null;
  /** `<vaultUri>|<secretName>` → the secret version written for the new credential. */
  readonly writtenVersions: Readonly<Record<string, string>>;
  readonly targets: readonly RotationTarget[];
  readonly overlapDays: number;
  /** Certificate rotations: the Key Vault versions and their managed keys (ids only). */
  readonly certificate?: CertificateWork;
}

export interface CertificateWork {
  readonly oldVersion: string;
  /** Key id URL of the old version's managed key, which signs the addKey proof. */
  readonly oldSigningKey: string;
  readonly newVersion: string | null;
  readonly newSigningKey: string | null;
  readonly validityMonths: number;
}

export type StoredRotation = Rotation & { readonly work: RotationWork };

export const targetKey = (t: RotationTarget): string => `${t.vaultUri}|${t.secretName}`;
