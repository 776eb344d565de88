import type { ACMClient, KeyAlgorithm } from '@aws-sdk/client-acm';
import { absent, MANAGED_BY_KEY, MANAGED_BY_VALUE, ownershipTags, type SyncProvider } from '../sync-provider';
import { awsError, isAwsCode } from './aws-errors';
import { awsTags } from './secrets-manager-provider';

/** ACM shows serials as colon-separated lower-case hex; node:crypto without colons in upper case. */
export const normalSerial = (serial: string): string => serial.replace(/:/g, '').toLowerCase().replace(/^0+/, '');

/** Set at import to the push's idempotency key, so a retry can find what an import whose answer was lost created. */
export const INTENT_KEY = 'keyward-intent';

/** ListCertificates returns only RSA_2048 certificates unless the key types are named (ACM API reference). */
const ALL_KEY_TYPES: KeyAlgorithm[] = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1',
  'EC_secp384r1',
  'EC_secp521r1',
];

/**
 * ACM, imported certificates with their chain. ACM names nothing, so a certificate is found by the ARN the record
 * keeps; the version is the certificate's serial. A reimport keeps the ARN and may not carry tags (ACM refuses),
 * so the new source version is tagged with AddTagsToCertificate first. ACM has no request token: an import whose
 * answer was lost is found again by its intent tag before a retry imports a second copy. ACM deletes are final,
 * so Keyward never deletes certificates there.
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
  const addTags = (arn: string, tags: Record<string, string>) =>
    call(() => client.send(new sdk.AddTagsToCertificateCommand({ CertificateArn: arn, Tags: awsTags(tags) })));

  /** The imported certificate for `domain` that carries this intent, if an earlier attempt created it. */
  async function findIntent(domain: string, intent: string): Promise<string | null> {
    let NextToken: string | undefined;
    do {
      const page = await call(() =>
        client.send(new sdk.ListCertificatesCommand({ Includes: { keyTypes: ALL_KEY_TYPES }, NextToken })),
      );
      for (const summary of page.CertificateSummaryList ?? []) {
        if (summary.Type !== 'IMPORTED' || !summary.CertificateArn) continue;
        if (domain && summary.DomainName !== domain) continue;
        const arn = summary.CertificateArn;
        const tags = await call(() => client.send(new sdk.ListTagsForCertificateCommand({ CertificateArn: arn })));
        if ((tags.Tags ?? []).some((t) => t.Key === INTENT_KEY && t.Value === intent)) return arn;
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return null;
  }

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
      const leaf = new X509Certificate(input.payload.certificatePem);
      const serial = normalSerial(leaf.serialNumber);
      const body = {
        Certificate: Buffer.from(input.payload.certificatePem),
        PrivateKey: Buffer.from(input.payload.privateKeyPem),
        ...(input.payload.chainPem ? { CertificateChain: Buffer.from(input.payload.chainPem) } : {}),
      };
      const tags = ownershipTags(input.ownership);
      if (input.state.exists && input.state.ref) {
        const arn = input.state.ref;
        await addTags(arn, tags);
        await call(() => client.send(new sdk.ImportCertificateCommand({ ...body, CertificateArn: arn })));
        return { version: serial, ref: arn };
      }
      const domain = /CN=([^\n,]+)/.exec(leaf.subject)?.[1] ?? '';
      const found = input.mayHaveLanded ? await findIntent(domain, input.idempotencyKey) : null;
      if (found) return { version: serial, ref: found };
      const out = await call(() =>
        client.send(
          new sdk.ImportCertificateCommand({
            ...body,
            Tags: awsTags({ ...tags, Name: input.targetName, [INTENT_KEY]: input.idempotencyKey }),
          }),
        ),
      );
      return { version: serial, ref: out.CertificateArn ?? '' };
    },
    async adopt(_name, state, ownership) {
      if (state.ref) await addTags(state.ref, ownershipTags(ownership));
    },
    remove() {
      return Promise.reject(new Error('ACM deletes are final; Keyward does not delete certificates there'));
    },
    async probe() {
      await call(() => client.send(new sdk.ListCertificatesCommand({ MaxItems: 1 })));
    },
  };
}
