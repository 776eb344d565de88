import type { Clock } from '../time/clock';
import type { RotationCloud, VaultCertificate } from './rotation-cloud';
import { assertionClaims, PROOF_AUDIENCE, proofClaims, signedJwt } from './rotation-proof';
import type { RotationStepName } from './rotation-schemas';
import { RotationRefused, type StepOutcome } from './rotation-step-kit';
import type { CertificateWork, RotationRecord, StoredRotation } from './rotation-types';
import type { VerifyCertificate } from './rotation-verify';

const BUFFER_DAYS = 3;
/** Key Vault counts validity in whole months; 31 days each keeps the clamp under a cap in days. */
const MONTH_DAYS = 31;

export interface CertificateStepDeps {
  readonly cloud: RotationCloud;
  readonly clock: Clock;
  readonly verifyCertificate: VerifyCertificate;
}

const work = (r: StoredRotation): CertificateWork => {
  if (!r.work.certificate) throw new RotationRefused('CertificateStateMissing', 'The pre-flight was not recorded.');
  return r.work.certificate;
};
const targetOf = (r: StoredRotation) => {
  const target = r.work.targets[0];
  if (!target) throw new RotationRefused('NoTarget', 'The record names no certificate.');
  return target;
};

/** A JWT signed by a certificate version's managed key in Key Vault, checked against that certificate. */
function signedBy(
  cloud: RotationCloud,
  cert: VaultCertificate | { cer: Uint8Array; keyId: string },
  claims: Record<string, unknown>,
  check: { audience: string; issuer: string },
): Promise<string> {
  return signedJwt(cert.cer, claims, (digest) => cloud.sign(cert.keyId, digest), check);
}

async function certificateVersion(cloud: RotationCloud, r: StoredRotation, version: string): Promise<VaultCertificate> {
  const cert = await cloud.certificate(targetOf(r), version);
  if (!cert) throw new RotationRefused('CertificateNotFound', `Certificate version ${version} is gone.`);
  return cert;
}

/**
 * The certificate variant of the steps: Key Vault creates the new version (its key never leaves the vault), Graph
 * gets the public certificate through addKey with a proof signed by the current certificate's key through Key
 * Vault `sign`, verification signs a client assertion with the new key the same way, and the old key credential is
 * removed with a proof signed by the new one. "Store" has nothing to write: the new version is in the vault.
 */
export async function certificateStep(
  deps: CertificateStepDeps,
  r: StoredRotation,
  step: RotationStepName,
  record: RotationRecord,
  checkpoint: (point: string) => Promise<void>,
): Promise<StepOutcome> {
  const { cloud, clock } = deps;
  const target = targetOf(r);
  switch (step) {
    case 'preflight': {
      const tenantId = await cloud.tenantId();
      const app = await cloud.application(r.appObjectId);
      if (!(await cloud.mayWriteCredentials(r.appObjectId))) {
        throw new RotationRefused('Authorization_RequestDenied', "Keyward's identity may not change this app's keys.");
      }
      if (!(await cloud.mayCreateCertificate(target))) {
        throw new RotationRefused(
          'VaultWriteDenied',
          `Keyward's identity may not create certificates in ${target.vaultUri}.`,
        );
      }
      const current = await cloud.certificate(target);
      if (!current)
        throw new RotationRefused('CertificateNotFound', `No certificate ${target.secretName} in the vault.`);
      // The proof must be signed by a certificate Graph knows for this app: the vault's current one.
      const onApp = app.keyCredentials.find((k) => k.customKeyIdentifier?.toUpperCase() === current.thumbprint);
      if (!onApp) {
        throw new RotationRefused(
          'CertificateNotOnApp',
          "The vault's current certificate is not a key credential of the app.",
        );
      }
      const capDays = await cloud.keyLifetimeCapDays(r.appObjectId);
      const wantedDays = record.intervalDays * 2 + BUFFER_DAYS;
      const days = capDays === null ? wantedDays : Math.min(wantedDays, capDays);
      if (days < MONTH_DAYS) {
        throw new RotationRefused(
          'PolicyCapBelowOneMonth',
          'The key lifetime cap is shorter than one month of validity.',
        );
      }
      const validityMonths = Math.max(1, Math.floor(days / MONTH_DAYS));
      return {
        detail: { capDays, validityMonths, oldThumbprint: current.thumbprint, oldKeyId: onApp.keyId },
        change: (x) => ({
          ...x,
          oldKeyId: x.oldKeyId ?? onApp.keyId,
          work: {
            ...x.work,
            tenantId,
            certificate: {
              oldVersion: current.version,
              oldSigningKey: current.keyId,
              newVersion: null,
              newSigningKey: null,
              validityMonths,
            },
          },
        }),
      };
    }
    case 'create': {
      const w = work(r);
      // Idempotent after a crash: the version this rotation created carries its id as a tag.
      const created =
        (await cloud.certificateTagged(target, { rotationId: r.rotationId })) ??
        (await cloud.createCertificateVersion(target, w.validityMonths, {
          appId: r.appId,
          rotationId: r.rotationId,
          'managed-by': 'keyward',
        }));
      await checkpoint('create:certificate');
      const app = await cloud.application(r.appObjectId);
      const already = app.keyCredentials.find((k) => k.customKeyIdentifier?.toUpperCase() === created.thumbprint);
      let keyId = already?.keyId;
      if (!keyId) {
        const old = await certificateVersion(cloud, r, w.oldVersion);
        const proof = await signedBy(
          cloud,
          { cer: old.cer, keyId: w.oldSigningKey },
          proofClaims(r.appObjectId, clock.now()),
          {
            audience: PROOF_AUDIENCE,
            issuer: r.appObjectId,
          },
        );
        keyId = (await cloud.addKey(r.appObjectId, created.cer, proof)).keyId;
        await checkpoint('create:added');
      }
      const newKeyId = keyId;
      return {
        detail: { keyId: newKeyId, thumbprint: created.thumbprint, version: created.version },
        change: (x) => ({
          ...x,
          newKeyId,
          newEndDateTime: created.expiresOn,
          work: { ...x.work, certificate: { ...w, newVersion: created.version, newSigningKey: created.keyId } },
        }),
      };
    }
    case 'verify': {
      const w = work(r);
      const cert = await certificateVersion(cloud, r, w.newVersion ?? '');
      const { attempts } = await deps.verifyCertificate(r.work.tenantId ?? '', r.appId, (audience) =>
        signedBy(cloud, cert, assertionClaims(audience, r.appId, clock.now()), { audience, issuer: r.appId }),
      );
      return { detail: { keyId: r.newKeyId, thumbprint: cert.thumbprint, attempts } };
    }
    case 'store':
      return { detail: { version: work(r).newVersion, keyId: r.newKeyId } };
    case 'activate':
      throw new Error('activate is shared by both credential types');
    case 'removeOld': {
      const w = work(r);
      let removed = false;
      const app = await cloud.application(r.appObjectId);
      if (r.oldKeyId && app.keyCredentials.some((k) => k.keyId === r.oldKeyId)) {
        const current = await certificateVersion(cloud, r, w.newVersion ?? '');
        const proof = await signedBy(cloud, current, proofClaims(r.appObjectId, clock.now()), {
          audience: PROOF_AUDIENCE,
          issuer: r.appObjectId,
        });
        await cloud.removeKey(r.appObjectId, r.oldKeyId, proof);
        removed = true;
      }
      return { detail: { keyId: r.oldKeyId, removed } };
    }
  }
}

/** Rollback before activation: the new key credential leaves the app, the new version is disabled in the vault. */
export async function removeNewCertificate(deps: CertificateStepDeps, r: StoredRotation): Promise<boolean> {
  const w = r.work.certificate;
  if (!w?.newVersion) return false;
  const { cloud, clock } = deps;
  const target = targetOf(r);
  let removed = false;
  const app = await cloud.application(r.appObjectId);
  if (r.newKeyId && app.keyCredentials.some((k) => k.keyId === r.newKeyId)) {
    const old = await certificateVersion(cloud, r, w.oldVersion);
    const proof = await signedBy(
      cloud,
      { cer: old.cer, keyId: w.oldSigningKey },
      proofClaims(r.appObjectId, clock.now()),
      {
        audience: PROOF_AUDIENCE,
        issuer: r.appObjectId,
      },
    );
    await cloud.removeKey(r.appObjectId, r.newKeyId, proof);
    removed = true;
  }
  await cloud.disableCertificateVersion(target, w.newVersion);
  return removed;
}
