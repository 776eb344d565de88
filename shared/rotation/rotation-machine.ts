import type { AuditAppender } from '../auth/auth-audit';
import type { PublishEvent } from '../events/event-publisher';
import type { AlertRaised } from '../events/event-catalog';
import type { AppLog } from '../runtime/app-log';
import { currentCorrelationId } from '../runtime/correlation';
import type { Clock } from '../time/clock';
import { CloudCallError, type RotationCloud } from './rotation-cloud';
import { rotationSteps, type RotationStepName } from './rotation-schemas';
import type { RotationStore } from './rotation-store';
import { targetKey, type RotationRecord, type StoredRotation } from './rotation-types';
import type { VerifyCertificate, VerifySecret } from './rotation-verify';
import { LostSecret, RotationRefused, type StepOutcome } from './rotation-step-kit';
import { certificateStep, removeNewCertificate } from './rotation-certificate-steps';

const DAY_MS = 86_400_000;
/** Added to 2 × the interval, so a rotation that runs late still finds the current credential valid. */
const BUFFER_DAYS = 3;
/** Kept below a policy cap, so clock skew between us and Entra cannot push the end date past it. */
const CAP_MARGIN_MS = 3_600_000;

export interface RotationMachineDeps {
  readonly store: RotationStore;
  readonly cloud: RotationCloud;
  readonly verify: VerifySecret;
  readonly verifyCertificate: VerifyCertificate;
  readonly audit: AuditAppender;
  readonly publish: PublishEvent;
  readonly clock: Clock;
  readonly log: AppLog;
  /**
   * Called at every point where a process could die between two recorded facts (after each step is recorded, and
   * after a credential or vault write before it is recorded). Production passes nothing; the crash-injection test
   * throws here to stop the run exactly as a killed worker would, then redelivers the message.
   */
  readonly checkpoint?: (rotationId: string, point: string) => Promise<void>;
}

const isPermanent = (error: unknown): boolean =>
  error instanceof RotationRefused || (error instanceof CloudCallError && error.permanent);
const errorCode = (error: unknown): string =>
  error instanceof RotationRefused || error instanceof CloudCallError
    ? error.code
    : error instanceof Error
      ? error.name
      : 'unknown';

const SYSTEM_ACTOR = { type: 'system' as const, name: 'Keyward rotation' };

/**
 * Runs one rotation from its recorded state to its end (or to the overlap's pause). Each step is recorded before
 * and after it runs and is idempotent against the cloud: a redelivered message after a crash resumes at the first
 * step not recorded as done. The new secret's value lives only in this function's `secret` variable, from
 * addPassword to the last Key Vault write; a resumed run that lost it reads it back from a vault it was already
 * written to, or removes the new credential and creates another.
 */
export function createRotationMachine(deps: RotationMachineDeps) {
  const { store, cloud, clock } = deps;
  const checkpoint = async (id: string, point: string): Promise<void> => deps.checkpoint?.(id, point);

  const audit = (
    r: StoredRotation,
    action: 'rotation.step' | 'rotation.completed' | 'rotation.failed',
    outcome: 'success' | 'partial' | 'failure',
    details: Record<string, unknown>,
  ) =>
    deps.audit.append({
      actor: SYSTEM_ACTOR,
      action,
      target: `application:${r.appObjectId}`,
      outcome,
      details: { rotationId: r.rotationId, recordId: r.recordId, ...details },
      correlationId: currentCorrelationId() ?? '',
    });

  const alert = (r: StoredRotation, type: 'rotation_success' | 'rotation_failed', facts: AlertRaised['facts']) =>
    deps.publish('alert.raised', `${type}:${r.rotationId}`, {
      alertType: type,
      subject:
        type === 'rotation_success'
          ? `Credential of ${r.appDisplayName} rotated`
          : `Rotation of ${r.appDisplayName}'s credential failed`,
      severity: type === 'rotation_success' ? 'info' : 'severe',
      facts: { application: r.appDisplayName, appId: r.appId, rotationId: r.rotationId, ...facts },
      dedupKey: `${type}:${r.rotationId}`,
      subscriptionId: '',
      tags: {},
    });

  const done = (r: StoredRotation, step: RotationStepName): boolean =>
    r.steps.some((s) => s.name === step && s.status === 'succeeded');
  const nextStep = (r: StoredRotation): RotationStepName | undefined => rotationSteps.find((s) => !done(r, s));

  async function begin(r: StoredRotation, step: RotationStepName): Promise<StoredRotation> {
    await audit(r, 'rotation.step', 'partial', { step, phase: 'started' });
    const startedAt = clock.now().toISOString();
    return store.updateRotation(r.rotationId, (x) => ({
      ...x,
      status: 'running',
      step,
      steps: [
        ...x.steps,
        { name: step, status: 'running', startedAt, finishedAt: null, durationMs: null, detail: {}, errorCode: null },
      ],
    }));
  }

  async function finish(r: StoredRotation, step: RotationStepName, outcome: StepOutcome): Promise<StoredRotation> {
    const now = clock.now();
    const updated = await store.updateRotation(r.rotationId, (x) => {
      const changed = outcome.change ? outcome.change(x) : x;
      const steps = [...changed.steps];
      const index = steps.map((s) => s.name).lastIndexOf(step);
      const running = steps[index];
      if (running) {
        steps[index] = {
          ...running,
          status: 'succeeded',
          finishedAt: now.toISOString(),
          durationMs: Math.max(0, now.getTime() - new Date(running.startedAt).getTime()),
          detail: outcome.detail,
        };
      }
      return { ...changed, steps };
    });
    await audit(updated, 'rotation.step', 'success', { step, phase: 'finished', ...outcome.detail });
    await checkpoint(r.rotationId, `after:${step}`);
    return updated;
  }

  /** Forgets a step's success, so the loop runs it again (the secret of the new credential was lost). */
  const redo = (x: StoredRotation, steps: readonly RotationStepName[]): StoredRotation => ({
    ...x,
    steps: x.steps.map((s) => (steps.includes(s.name) && s.status === 'succeeded' ? { ...s, status: 'skipped' } : s)),
  });

  const recordWrite = (rotationId: string, key: string, version: string): Promise<StoredRotation> =>
    store.updateRotation(rotationId, (x) => ({
      ...x,
      work: { ...x.work, writtenVersions: { ...x.work.writtenVersions, [key]: version } },
    }));

  /** Removes the rotation's own new credential (if Graph still has it); never any other. */
  async function removeNew(r: StoredRotation): Promise<boolean> {
    if (r.credentialType === 'certificate') return removeNewCertificate(deps, r);
    if (!r.newKeyId) return false;
    const app = await cloud.application(r.appObjectId);
    if (!app.passwordCredentials.some((c) => c.keyId === r.newKeyId)) return false;
    await cloud.removePassword(r.appObjectId, r.newKeyId);
    return true;
  }

  async function runStep(
    r: StoredRotation,
    step: RotationStepName,
    record: RotationRecord,
    memory: { secret?: string },
  ): Promise<StepOutcome> {
    if (r.credentialType === 'certificate' && step !== 'activate') {
      return certificateStep(deps, r, step, record, (point) => checkpoint(r.rotationId, point));
    }
    switch (step) {
      case 'preflight': {
        const tenantId = await cloud.tenantId();
        await cloud.application(r.appObjectId);
        if (!(await cloud.mayWriteCredentials(r.appObjectId))) {
          throw new RotationRefused(
            'Authorization_RequestDenied',
            "Keyward's identity may not add or remove this app's credentials: grant it Application.ReadWrite.OwnedBy and make it an owner of the app.",
          );
        }
        for (const target of r.work.targets) {
          if (!(await cloud.mayWriteSecret(target))) {
            throw new RotationRefused(
              'VaultWriteDenied',
              `Keyward's identity may not write secrets to ${target.vaultUri}.`,
            );
          }
        }
        const capDays = await cloud.passwordLifetimeCapDays(r.appObjectId);
        const now = clock.now().getTime();
        const wanted = now + (record.intervalDays * 2 + BUFFER_DAYS) * DAY_MS;
        const end = capDays === null ? wanted : Math.min(wanted, now + capDays * DAY_MS - CAP_MARGIN_MS);
        const plannedEndDateTime = new Date(end).toISOString();
        return {
          detail: { capDays, endDateTime: plannedEndDateTime },
          change: (x) => ({ ...x, work: { ...x.work, tenantId, plannedEndDateTime } }),
        };
      }
      case 'create': {
        // A crash after an earlier addPassword and before its record left a credential nobody can use (its value is
        // gone): the display name carries the rotation id, so it is found and removed before adding another.
        const app = await cloud.application(r.appObjectId);
        const orphans = app.passwordCredentials.filter((c) => c.displayName?.includes(r.rotationId));
        for (const orphan of orphans) await cloud.removePassword(r.appObjectId, orphan.keyId);
        const created = await cloud.addPassword(
          r.appObjectId,
          `keyward rotation ${r.rotationId}`,
          r.work.plannedEndDateTime ?? clock.now().toISOString(),
        );
        memory.secret = created.secretText;
        await checkpoint(r.rotationId, 'create:added');
        return {
          detail: { keyId: created.keyId, endDateTime: created.endDateTime, orphansRemoved: orphans.length },
          change: (x) => ({ ...x, newKeyId: created.keyId, newEndDateTime: created.endDateTime }),
        };
      }
      case 'verify': {
        if (memory.secret === undefined) throw new LostSecret();
        const { attempts } = await deps.verify(r.work.tenantId ?? '', r.appId, memory.secret);
        return { detail: { keyId: r.newKeyId, attempts } };
      }
      case 'store': {
        const tags = {
          appId: r.appId,
          keyId: r.newKeyId ?? '',
          rotationId: r.rotationId,
          'managed-by': 'keyward',
        };
        // A crash after a write and before its record: the version carries this rotation's tags. Record those first.
        let current = r;
        for (const target of r.work.targets) {
          const key = targetKey(target);
          if (current.work.writtenVersions[key]) continue;
          const found = await cloud.versionTagged(target, { rotationId: r.rotationId, keyId: tags.keyId });
          if (found) current = await recordWrite(r.rotationId, key, found);
        }
        if (memory.secret === undefined) {
          const written = current.work.targets.find((t) => current.work.writtenVersions[targetKey(t)]);
          if (!written) throw new LostSecret();
          memory.secret = await cloud.secretValue(written, current.work.writtenVersions[targetKey(written)] ?? '');
        }
        for (const target of current.work.targets) {
          const key = targetKey(target);
          if (current.work.writtenVersions[key]) continue;
          const version = await cloud.setSecret(target, memory.secret, new Date(r.newEndDateTime ?? clock.now()), tags);
          await checkpoint(r.rotationId, `store:written:${target.secretName}`);
          current = await recordWrite(r.rotationId, key, version);
        }
        const versions = Object.fromEntries(
          current.work.targets.map((t) => [
            `version:${t.secretName}`,
            current.work.writtenVersions[targetKey(t)] ?? '',
          ]),
        );
        return { detail: { keyId: r.newKeyId, ...versions } };
      }
      case 'activate': {
        memory.secret = undefined;
        const now = clock.now();
        await store.updateRecord(r.recordId, (rec) => ({
          ...rec,
          keyId: r.newKeyId,
          credentialEndDateTime: r.newEndDateTime,
          lastRotationId: r.rotationId,
          lastRotatedAt: now.toISOString(),
          nextRotationAt: new Date(now.getTime() + rec.intervalDays * DAY_MS).toISOString(),
          updatedAt: now.toISOString(),
        }));
        await alert(r, 'rotation_success', { newKeyId: r.newKeyId ?? '', expires: r.newEndDateTime ?? '' });
        const removeOldAfter = new Date(now.getTime() + r.work.overlapDays * DAY_MS).toISOString();
        return {
          detail: { keyId: r.newKeyId, removeOldAfter },
          change: (x) => ({ ...x, removeOldAfter }),
        };
      }
      case 'removeOld': {
        // Only the credential this rotation replaced, and only while it is still there: never "all others".
        let removed = false;
        if (r.oldKeyId) {
          const app = await cloud.application(r.appObjectId);
          if (app.passwordCredentials.some((c) => c.keyId === r.oldKeyId)) {
            await cloud.removePassword(r.appObjectId, r.oldKeyId);
            removed = true;
          }
        }
        return { detail: { keyId: r.oldKeyId, removed } };
      }
    }
  }

  async function fail(r: StoredRotation, step: RotationStepName, error: unknown): Promise<void> {
    const code = errorCode(error);
    const activated = done(r, 'activate');
    // Before activation nothing depends on the new credential: remove it. The vaults got it only after verify.
    const rolledBack = activated ? false : await removeNew(r);
    const now = clock.now();
    const failed = await store.updateRotation(r.rotationId, (x) => ({
      ...x,
      status: 'failed',
      errorStep: step,
      errorCode: code,
      finishedAt: now.toISOString(),
      durationMs: now.getTime() - new Date(x.requestedAt).getTime(),
      steps: x.steps.map((s, i) =>
        i === x.steps.length - 1 && s.status === 'running'
          ? { ...s, status: 'failed', finishedAt: now.toISOString(), errorCode: code }
          : s,
      ),
    }));
    await audit(failed, 'rotation.failed', 'failure', { step, errorCode: code, newKeyId: r.newKeyId, rolledBack });
    await alert(failed, 'rotation_failed', { step, errorCode: code, rolledBack });
    await store.unlock(r.appObjectId, r.rotationId);
    deps.log.warn(`rotation ${r.rotationId} failed at ${step}: ${code}`);
  }

  /**
   * Runs the rotation's remaining steps. A refusal (or any error on the message's last delivery) ends it as failed;
   * any other error is thrown, so the broker redelivers the message and the next run resumes.
   */
  async function run(rotationId: string, lastAttempt: boolean): Promise<void> {
    let r = await store.getRotation(rotationId);
    if (!r || r.status === 'completed' || r.status === 'failed') return;
    const record = await store.getRecord(r.recordId);
    const memory: { secret?: string } = {};
    let step = nextStep(r);
    try {
      if (!record) throw new RotationRefused('RecordDeleted', 'The rotation record no longer exists.');
      while (step) {
        if (step === 'removeOld' && r.removeOldAfter && clock.now() < new Date(r.removeOldAfter)) {
          // The overlap has not ended: the rotation timer enqueues the rotation again once it has.
          await store.updateRotation(rotationId, (x) => ({ ...x, status: 'overlapping', step: 'removeOld' }));
          return;
        }
        r = await begin(r, step);
        let outcome: StepOutcome;
        try {
          outcome = await runStep(r, step, record, memory);
        } catch (error) {
          if (!(error instanceof LostSecret)) throw error;
          // The value died with an earlier process before it reached a vault: replace the credential.
          const removed = await removeNew(r);
          r = await store.updateRotation(rotationId, (x) => ({
            ...redo(x, ['create', 'verify']),
            newKeyId: null,
            newEndDateTime: null,
            steps: redo(x, ['create', 'verify']).steps.map((s, i, all) =>
              i === all.length - 1 && s.status === 'running'
                ? { ...s, status: 'skipped', detail: { lostSecret: true, removed } }
                : s,
            ),
          }));
          step = nextStep(r);
          continue;
        }
        r = await finish(r, step, outcome);
        step = nextStep(r);
      }
      const now = clock.now();
      r = await store.updateRotation(rotationId, (x) => ({
        ...x,
        status: 'completed',
        step: null,
        finishedAt: now.toISOString(),
        durationMs: now.getTime() - new Date(x.requestedAt).getTime(),
      }));
      await audit(r, 'rotation.completed', 'success', {
        newKeyId: r.newKeyId,
        oldKeyId: r.oldKeyId,
        expires: r.newEndDateTime,
      });
      await store.unlock(r.appObjectId, rotationId);
    } catch (error) {
      if (!isPermanent(error) && !lastAttempt) throw error;
      await fail(r, step ?? 'preflight', error);
    }
  }

  return { run };
}

export type RotationMachine = ReturnType<typeof createRotationMachine>;
