import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../audit/audit-types';
import type { AuditAppender } from '../auth/auth-audit';
import { keyVaultScopeOf } from '../cloud/keyvault-token-policy';
import type { QuotaLedger } from '../license/license-quota';
import { DomainError } from '../runtime/domain-errors';
import type { Clock } from '../time/clock';
import { CloudCallError, type RotationCloud } from './rotation-cloud';
import type { RotationStore } from './rotation-store';
import { discoverInventory } from './rotation-discovery';
import type {
  CreateRecordInput,
  InventoryApp,
  Rotation,
  RotationRecord,
  StoredRotation,
  UpdateRecordInput,
} from './rotation-types';

const DAY_MS = 86_400_000;

export class RotationInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(
    message: string,
    override readonly code = 'invalid_request',
  ) {
    super(message);
  }
}
export class RotationNotFound extends DomainError {
  readonly kind = 'notFound';
}
/** Another rotation of the same application holds its lock. */
export class RotationInProgress extends Error {
  constructor(readonly rotationId: string) {
    super(`A rotation of this application is already running: ${rotationId}.`);
    this.name = 'RotationInProgress';
  }
}
/** The tier's manual rotations for this month are spent. */
export class RotationQuotaSpent extends Error {
  constructor() {
    super('manual rotation quota spent');
    this.name = 'RotationQuotaSpent';
  }
}

export interface RotationServiceDeps {
  readonly store: RotationStore;
  readonly cloud: RotationCloud;
  readonly audit: AuditAppender;
  readonly quotas: QuotaLedger;
  readonly clock: Clock;
  /** Sends the rotation's queue message (messageId = rotation id). */
  readonly enqueue: (rotationId: string) => Promise<void>;
  /** Vault URIs on 127.0.0.1 are the simulator's, accepted only when the app runs against it. */
  readonly simulator: boolean;
  /** The vaults the scan knows (URIs), to find the secrets holding each credential. */
  readonly knownVaults: () => Promise<string[]>;
}

export interface Caller {
  readonly actor: AuditActor;
  readonly correlationId: string;
}

const newId = (): string => randomUUID().replace(/-/g, '');

/** Rotation records, "Rotate now", discovery and history: the API side of rotation. */
export function createRotationService(deps: RotationServiceDeps) {
  const { store, cloud, clock } = deps;

  /** A vault URI must name a Key Vault, so the identity's token only ever goes to Key Vault. */
  function checkVault(uri: string): void {
    if (keyVaultScopeOf(uri)) return;
    if (deps.simulator && new URL(uri).hostname === '127.0.0.1') return;
    throw new RotationInvalid(`${uri} is not a Key Vault URI (https://<name>.vault.azure.net).`);
  }

  async function createRecord(input: CreateRecordInput, caller: Caller): Promise<RotationRecord> {
    for (const t of input.targets) checkVault(t.vaultUri);
    const certificate = input.credentialType === 'certificate';
    if (certificate && input.targets.length !== 1) {
      throw new RotationInvalid(
        'A certificate record names exactly one Key Vault certificate (secretName = its name).',
      );
    }
    const app = await cloud.application(input.application).catch((error: unknown) => {
      if (error instanceof CloudCallError && error.statusCode === 404) {
        throw new RotationInvalid(`No application ${input.application} in the directory.`);
      }
      throw error;
    });
    const credentials = certificate ? app.keyCredentials : app.passwordCredentials;
    const credential = input.keyId ? credentials.find((c) => c.keyId === input.keyId) : undefined;
    if (input.keyId && !credential) {
      throw new RotationInvalid(
        `The app has no ${certificate ? 'certificate' : 'client secret'} with keyId ${input.keyId}.`,
      );
    }
    // Probe before anything is stored: a record that could never rotate is refused with the fix.
    if (!(await cloud.mayWriteCredentials(app.id))) {
      throw new RotationInvalid(
        `Keyward's identity may not add or remove credentials of ${app.displayName}: grant it the Graph application permission Application.ReadWrite.OwnedBy and add it as an owner of the app (or grant Application.ReadWrite.All).`,
        'permission_missing',
      );
    }
    for (const target of input.targets) {
      const allowed = certificate ? await cloud.mayCreateCertificate(target) : await cloud.mayWriteSecret(target);
      if (!allowed) {
        throw new RotationInvalid(
          certificate
            ? `Keyward's identity may not create certificates in ${target.vaultUri} or sign with their keys: assign it the "Key Vault Certificates Officer" and "Key Vault Crypto User" roles on the vault.`
            : `Keyward's identity may not write secrets to ${target.vaultUri}: assign it the "Key Vault Secrets Officer" role on the vault (or an access policy with secret set).`,
          'permission_missing',
        );
      }
    }
    const now = clock.now().toISOString();
    const record: RotationRecord = {
      id: newId(),
      appObjectId: app.id,
      appId: app.appId,
      appDisplayName: app.displayName.slice(0, 256),
      credentialType: input.credentialType,
      keyId: credential?.keyId ?? null,
      credentialEndDateTime: credential?.endDateTime ?? null,
      targets: input.targets,
      intervalDays: input.intervalDays,
      rotateBeforeExpiryDays: input.rotateBeforeExpiryDays,
      overlapDays: input.overlapDays,
      automatic: input.automatic,
      maintenanceWindow: input.maintenanceWindow,
      lastRotationId: null,
      lastRotatedAt: null,
      nextRotationAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await deps.audit.append({
      actor: caller.actor,
      action: 'rotation.record.created',
      target: `rotationRecord:${record.id}`,
      outcome: 'success',
      details: {
        appId: record.appId,
        keyId: record.keyId,
        targets: record.targets.map((t) => `${t.vaultUri}/${t.secretName}`),
      },
      correlationId: caller.correlationId,
    });
    await store.createRecord(record);
    return record;
  }

  async function updateRecord(id: string, input: UpdateRecordInput, caller: Caller): Promise<RotationRecord> {
    const existing = await store.getRecord(id);
    if (!existing) throw new RotationNotFound(`No rotation record ${id}.`);
    await deps.audit.append({
      actor: caller.actor,
      action: 'rotation.record.updated',
      target: `rotationRecord:${id}`,
      outcome: 'success',
      details: { changes: input },
      correlationId: caller.correlationId,
    });
    const updated = await store.updateRecord(id, (r) => ({ ...r, ...input, updatedAt: clock.now().toISOString() }));
    if (!updated) throw new RotationNotFound(`No rotation record ${id}.`);
    return updated;
  }

  /** A rotation whose lock may be taken over: finished, or never written. */
  const staleHolder = async (holder: string): Promise<boolean> => {
    const r = await store.getRotation(holder);
    return !r || r.status === 'completed' || r.status === 'failed';
  };

  /**
   * Queues a rotation of the record's credential. The application's lock is taken first (409 with the running
   * rotation's id); a manual rotation then spends one unit of the tier's quota (released lock if none is left).
   */
  async function requestRotation(
    recordId: string,
    trigger: 'manual' | 'automatic',
    caller: Caller,
  ): Promise<{ rotationId: string }> {
    const record = await store.getRecord(recordId);
    if (!record) throw new RotationNotFound(`No rotation record ${recordId}.`);
    const rotationId = newId();
    const now = clock.now().toISOString();
    const rotation: StoredRotation = {
      rotationId,
      recordId,
      appObjectId: record.appObjectId,
      appId: record.appId,
      appDisplayName: record.appDisplayName,
      credentialType: record.credentialType,
      trigger,
      status: 'queued',
      step: null,
      oldKeyId: record.keyId,
      newKeyId: null,
      newEndDateTime: null,
      removeOldAfter: null,
      errorStep: null,
      errorCode: null,
      requestedBy: caller.actor.name || caller.actor.id || caller.actor.type,
      requestedAt: now,
      finishedAt: null,
      durationMs: null,
      steps: [],
      work: {
        tenantId: null,
        plannedEndDateTime: null,
        writtenVersions: {},
        targets: record.targets,
        overlapDays: record.overlapDays,
      },
    };
    // The row exists before the lock names it, so a lock always points at a rotation that can be checked.
    await store.createRotation(rotation);
    const holder = await store.lock(record.appObjectId, rotationId, staleHolder);
    if (holder) {
      await store.deleteRotation(rotationId);
      throw new RotationInProgress(holder);
    }
    if (trigger === 'manual' && !(await deps.quotas.spend('manualRotations', rotationId))) {
      await store.unlock(record.appObjectId, rotationId);
      await store.deleteRotation(rotationId);
      throw new RotationQuotaSpent();
    }
    await deps.audit.append({
      actor: caller.actor,
      action: 'rotation.requested',
      target: `application:${record.appObjectId}`,
      outcome: 'success',
      details: { rotationId, recordId, trigger, oldKeyId: record.keyId },
      correlationId: caller.correlationId,
    });
    await deps.enqueue(rotationId);
    return { rotationId };
  }

  async function history(query: {
    recordId?: string | undefined;
    appId?: string | undefined;
    status?: Rotation['status'] | undefined;
    limit: number;
    offset: number;
  }): Promise<{ rotations: Rotation[]; total: number }> {
    const all = (await store.listRotations())
      .filter((r) => (!query.recordId || r.recordId === query.recordId) && (!query.appId || r.appId === query.appId))
      .filter((r) => !query.status || r.status === query.status)
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    const page = all.slice(query.offset, query.offset + query.limit).map(({ work: _work, ...r }) => r);
    return { rotations: page, total: all.length };
  }

  async function discover(caller: Caller) {
    const records = await store.listRecords();
    const apps: InventoryApp[] = await discoverInventory({ cloud, records, vaults: await deps.knownVaults() });
    const discoveredAt = clock.now().toISOString();
    await deps.audit.append({
      actor: caller.actor,
      action: 'rotation.discovered',
      target: 'applications',
      outcome: 'success',
      details: { applications: apps.length },
      correlationId: caller.correlationId,
    });
    await store.replaceInventory(apps, discoveredAt);
    return {
      applications: apps.length,
      credentials: apps.reduce((n, a) => n + a.credentials.length, 0),
      matchedSecrets: apps.reduce((n, a) => n + a.credentials.reduce((m, c) => m + c.vaultSecrets.length, 0), 0),
      discoveredAt,
    };
  }

  async function inventory() {
    const { applications, discoveredAt } = await store.inventory();
    const records = await store.listRecords();
    const byKey = new Map(records.filter((r) => r.keyId).map((r) => [r.keyId, r.id]));
    const byApp = new Set(records.map((r) => r.appObjectId));
    // Coverage is read now, so a record created after discovery shows at once.
    const apps = applications.map((a) => ({
      ...a,
      covered: byApp.has(a.appObjectId),
      credentials: a.credentials.map((c) => ({ ...c, recordId: byKey.get(c.keyId) ?? null })),
    }));
    return {
      applications: apps.sort((a, b) => a.displayName.localeCompare(b.displayName)),
      discoveredAt,
      total: apps.length,
    };
  }

  return {
    createRecord,
    updateRecord,
    requestRotation,
    history,
    discover,
    inventory,
    listRecords: async () => {
      const records = await store.listRecords();
      return { records: records.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), total: records.length };
    },
    /** When a record is next due: its interval after the last rotation, or its rotate-before window before expiry. */
    dueAt(record: RotationRecord): Date | null {
      const byInterval = record.lastRotatedAt
        ? new Date(record.lastRotatedAt).getTime() + record.intervalDays * DAY_MS
        : null;
      const byExpiry = record.credentialEndDateTime
        ? new Date(record.credentialEndDateTime).getTime() - record.rotateBeforeExpiryDays * DAY_MS
        : null;
      const candidates = [byInterval, byExpiry].filter((x): x is number => x !== null);
      return candidates.length > 0 ? new Date(Math.min(...candidates)) : null;
    },
  };
}

export type RotationService = ReturnType<typeof createRotationService>;
