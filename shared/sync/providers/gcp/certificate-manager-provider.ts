import type { CertificateManagerClient } from '@google-cloud/certificate-manager';
import { absent, MANAGED_BY_KEY, MANAGED_BY_VALUE, type SyncProvider } from '../sync-provider';
import { gcpError, isGcpStatus } from './gcp-errors';
import { ownershipLabels } from './gcp-labels';

interface Timestamp {
  readonly seconds?: number | string | { toString(): string } | null;
  readonly nanos?: number | null;
}
/** The certificate's last change, as its version: Keyward's own update returns it, an outside update moves it. */
const versionOf = (t: Timestamp | null | undefined): string | null =>
  t?.seconds !== undefined && t.seconds !== null
    ? `${String(t.seconds)}.${String(t.nanos ?? 0).padStart(9, '0')}`
    : null;

const once = { maxRetries: 0 } as never;

/**
 * GCP Certificate Manager, self-managed certificates. Create and update (the PEMs and the labels with the new source version, in one call) are long-running operations: the client
 * polls the operation until it is done and resolves to the certificate. Deletes are final, so Keyward never
 * deletes there.
 */
export function gcpCertificateManagerProvider(
  client: CertificateManagerClient,
  options: { projectId: string; location: string },
): SyncProvider {
  const parent = `projects/${options.projectId}/locations/${options.location}`;
  const path = (id: string) => `${parent}/certificates/${id}`;
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw gcpError(error);
    }
  };
  return {
    deletes: 'none',
    async describe(id) {
      let certificate;
      try {
        [certificate] = await client.getCertificate({ name: path(id) }, once);
      } catch (error) {
        if (isGcpStatus(error, 'NOT_FOUND')) return absent;
        throw gcpError(error);
      }
      return {
        exists: true,
        owned: certificate.labels?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE,
        version: versionOf(certificate.updateTime),
        ref: certificate.name ?? path(id),
        pendingDeletion: false,
        tags: certificate.labels ?? {},
      };
    },
    async push(input) {
      if (input.payload.kind !== 'certificate') throw new Error('Certificate Manager takes certificates only');
      const selfManaged = {
        pemCertificate: [input.payload.certificatePem, input.payload.chainPem].filter(Boolean).join('\n'),
        pemPrivateKey: input.payload.privateKeyPem,
      };
      const [operation] = await call(() =>
        input.state.exists
          ? client.updateCertificate(
              {
                certificate: {
                  name: path(input.targetName),
                  selfManaged,
                  labels: { ...input.state.tags, ...ownershipLabels(input.ownership) },
                },
                updateMask: { paths: ['self_managed', 'labels'] },
              },
              once,
            )
          : client.createCertificate(
              {
                parent,
                certificateId: input.targetName,
                certificate: { labels: ownershipLabels(input.ownership), selfManaged },
              },
              once,
            ),
      );
      const [certificate] = await call(() => operation.promise());
      return { version: versionOf(certificate.updateTime) ?? '', ref: certificate.name ?? path(input.targetName) };
    },
    async adopt(id, state, ownership) {
      const [operation] = await call(() =>
        client.updateCertificate(
          {
            certificate: { name: path(id), labels: { ...state.tags, ...ownershipLabels(ownership) } },
            updateMask: { paths: ['labels'] },
          },
          once,
        ),
      );
      await call(() => operation.promise());
    },
    remove() {
      return Promise.reject(new Error('Certificate Manager deletes are final; Keyward does not delete there'));
    },
    async probe() {
      await call(() => client.listCertificates({ parent, pageSize: 1 }, { ...(once as object), autoPaginate: false }));
    },
  };
}
