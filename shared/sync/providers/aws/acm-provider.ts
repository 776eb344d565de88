import type { ACMClient } from '@aws-sdk/client-acm';
import { absent, MANAGED_BY_KEY, MANAGED_BY_VALUE, ownershipTags, type SyncProvider } from '../sync-provider';
import { awsError, isAwsCode } from './aws-errors';
import { awsTags } from './secrets-manager-provider';

/** ACM shows serials as colon-separated lower-case hex; node:crypto without colons in upper case. */
export const normalSerial = (serial: string): string => serial.replace(/:/g, '').toLowerCase().replace(/^0+/, '');

/**
 * ACM, imported certificates with their chain. ACM names nothing, so a certificate is found by the ARN the record
 * keeps; the version is the certificate's serial. A reimport keeps the ARN and may not carry tags (ACM refuses).
 * ACM deletes are final, so Keyward never deletes certificates there.
 */
export function acmProvider(client: ACMClient): SyncProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-acm') as typeof import('@aws-sdk/client-acm');
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw awsError(error);
    }
  };
  return {
    deletes: 'none',
    async describe(_name, knownRef) {
      if (!knownRef) return absent;
      let detail;
      try {
        detail = (await client.send(new sdk.DescribeCertificateCommand({ CertificateArn: knownRef }))).Certificate;
      } catch (error) {
        if (isAwsCode(error, 'ResourceNotFoundException')) return absent;
        throw awsError(error);
      }
      const tags = await call(() => client.send(new sdk.ListTagsForCertificateCommand({ CertificateArn: knownRef })));
      return {
        exists: true,
        owned: (tags.Tags ?? []).some((t) => t.Key === MANAGED_BY_KEY && t.Value === MANAGED_BY_VALUE),
        version: detail?.Serial ? normalSerial(detail.Serial) : null,
        ref: knownRef,
        pendingDeletion: false,
      };
    },
    async push(input) {
      if (input.payload.kind !== 'certificate') throw new Error('ACM takes certificates only');
      const { X509Certificate } = await import('node:crypto');
      const serial = normalSerial(new X509Certificate(input.payload.certificatePem).serialNumber);
      const body = {
        Certificate: Buffer.from(input.payload.certificatePem),
        PrivateKey: Buffer.from(input.payload.privateKeyPem),
        ...(input.payload.chainPem ? { CertificateChain: Buffer.from(input.payload.chainPem) } : {}),
      };
      const out = await call(() =>
        client.send(
          new sdk.ImportCertificateCommand(
            input.state.exists && input.state.ref
              ? { ...body, CertificateArn: input.state.ref }
              : { ...body, Tags: awsTags({ ...ownershipTags(input.ownership), Name: input.targetName }) },
          ),
        ),
      );
      return { version: serial, ref: out.CertificateArn ?? input.state.ref ?? '' };
    },
    async adopt(_name, state, ownership) {
      if (!state.ref) return;
      const ref = state.ref;
      await call(() =>
        client.send(
          new sdk.AddTagsToCertificateCommand({ CertificateArn: ref, Tags: awsTags(ownershipTags(ownership)) }),
        ),
      );
    },
    remove() {
      return Promise.reject(new Error('ACM deletes are final; Keyward does not delete certificates there'));
    },
    async probe() {
      await call(() => client.send(new sdk.ListCertificatesCommand({ MaxItems: 1 })));
    },
  };
}
