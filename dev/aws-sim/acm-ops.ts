import { randomUUID, X509Certificate, createPrivateKey } from 'node:crypto';
import * as aws from './aws-protocol';

/**
 * ACM, the operations Keyward calls. ImportCertificate takes the PEM certificate, private key and chain as blobs
 * (base64 in JSON); the key must match the certificate; a reimport (with `CertificateArn`) may not carry tags and
 * may not change the key algorithm (ACM user guide, "Reimport a certificate"; the exact error code for tags on a
 * reimport is not documented, ValidationException is used). Member names from the SDK's models.
 */
export interface SimCertificate {
  readonly arn: string;
  pem: string;
  keyAlgorithm: string;
  notBefore: Date;
  notAfter: Date;
  subject: string;
  serial: string;
  importedAt: Date;
  tags: aws.AwsTag[];
  imports: number;
}

const ARN = { min: 20, max: 2048, pattern: /^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(\/[\w+=,.@-]+)*$/ };

function blob(body: aws.AwsBody, field: string, required: boolean): string | undefined {
  const raw = required ? aws.requiredString(body, field) : aws.optionalString(body, field);
  if (raw === undefined) return undefined;
  return Buffer.from(raw, 'base64').toString('utf8');
}

function keyAlgorithm(cert: X509Certificate): string {
  const key = cert.publicKey;
  if (key.asymmetricKeyType === 'rsa') return `RSA_${key.asymmetricKeyDetails?.modulusLength ?? 2048}`;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'prime256v1';
    return curve === 'secp384r1' ? 'EC_secp384r1' : curve === 'secp521r1' ? 'EC_secp521r1' : 'EC_prime256v1';
  }
  throw new aws.AwsError('ValidationException', 'The certificate key algorithm is not supported.');
}

const domainOf = (c: SimCertificate): string => /CN=([^,]+)/.exec(c.subject)?.[1] ?? '';

export function createAcm(region: string, accountId: string, now: () => Date) {
  const certificates = new Map<string, SimCertificate>();
  const mustFind = (body: aws.AwsBody): SimCertificate => {
    const arn = aws.requiredString(body, 'CertificateArn', ARN);
    const found = certificates.get(arn);
    if (!found) throw new aws.AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
    return found;
  };

  const operations: Record<string, aws.AwsOperation> = {
    ImportCertificate: {
      write: true,
      target: (b) => String(b.CertificateArn ?? '(new)'),
      run(body) {
        const pem = blob(body, 'Certificate', true) ?? '';
        const keyPem = blob(body, 'PrivateKey', true) ?? '';
        const chain = blob(body, 'CertificateChain', false);
        const tags = aws.readTags(body, 'Tags', 'InvalidTagException');
        let cert: X509Certificate;
        try {
          cert = new X509Certificate(pem);
          if (chain) new X509Certificate(chain);
        } catch {
          throw new aws.AwsError(
            'ValidationException',
            'Could not validate the certificate with the certificate chain.',
          );
        }
        let matches = false;
        try {
          matches = cert.checkPrivateKey(createPrivateKey(keyPem));
        } catch {
          matches = false;
        }
        if (!matches)
          throw new aws.AwsError(
            'ValidationException',
            'The private key is not supported or does not match the certificate.',
          );
        const algorithm = keyAlgorithm(cert);
        const details = {
          pem,
          keyAlgorithm: algorithm,
          notBefore: new Date(cert.validFrom),
          notAfter: new Date(cert.validTo),
          subject: cert.subject.replace(/\n/g, ','),
          serial: cert.serialNumber,
          importedAt: now(),
        };
        if (body.CertificateArn !== undefined) {
          const existing = mustFind(body);
          if (tags)
            throw new aws.AwsError('ValidationException', 'You cannot apply tags when reimporting a certificate.');
          if (existing.keyAlgorithm !== algorithm) {
            throw new aws.AwsError(
              'ValidationException',
              'The key algorithm of a reimported certificate must not change.',
            );
          }
          Object.assign(existing, details, { imports: existing.imports + 1 });
          return { CertificateArn: existing.arn };
        }
        const arn = `arn:aws:acm:${region}:${accountId}:certificate/${randomUUID()}`;
        certificates.set(arn, { arn, ...details, tags: tags ?? [], imports: 1 });
        return { CertificateArn: arn };
      },
    },
    DescribeCertificate: {
      write: false,
      target: (b) => String(b.CertificateArn ?? ''),
      run(body) {
        const c = mustFind(body);
        const cn = domainOf(c);
        return {
          Certificate: {
            CertificateArn: c.arn,
            DomainName: cn,
            SubjectAlternativeNames: [cn],
            Serial: c.serial,
            Subject: c.subject,
            ImportedAt: aws.epochSeconds(c.importedAt),
            Status: c.notAfter.getTime() < now().getTime() ? 'EXPIRED' : 'ISSUED',
            NotBefore: aws.epochSeconds(c.notBefore),
            NotAfter: aws.epochSeconds(c.notAfter),
            KeyAlgorithm: c.keyAlgorithm,
            InUseBy: [],
            Type: 'IMPORTED',
          },
        };
      },
    },
    ListCertificates: {
      write: false,
      target: () => '',
      run(body) {
        // Without `Includes.keyTypes` ACM lists RSA_2048 certificates only (API reference, ListCertificates).
        const includes = (body.Includes ?? {}) as aws.AwsBody;
        const keyTypes = Array.isArray(includes.keyTypes) ? (includes.keyTypes as unknown[]).map(String) : ['RSA_2048'];
        const max = body.MaxItems === undefined ? 1000 : Number(body.MaxItems);
        if (!Number.isInteger(max) || max < 1 || max > 1000) {
          throw new aws.AwsError('ValidationException', 'MaxItems must be between 1 and 1000');
        }
        const start =
          body.NextToken === undefined ? 0 : Number(Buffer.from(String(body.NextToken), 'base64').toString());
        if (!Number.isInteger(start) || start < 0) throw new aws.AwsError('InvalidArgsException', 'Invalid NextToken');
        const matching = [...certificates.values()].filter((c) => keyTypes.includes(c.keyAlgorithm));
        const page = matching.slice(start, start + max);
        const next = start + max < matching.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
        return {
          CertificateSummaryList: page.map((c) => ({
            CertificateArn: c.arn,
            DomainName: domainOf(c),
            Type: 'IMPORTED',
            KeyAlgorithm: c.keyAlgorithm,
            Status: c.notAfter.getTime() < now().getTime() ? 'EXPIRED' : 'ISSUED',
          })),
          ...(next ? { NextToken: next } : {}),
        };
      },
    },
    ListTagsForCertificate: {
      write: false,
      target: (b) => String(b.CertificateArn ?? ''),
      run: (body) => ({ Tags: mustFind(body).tags }),
    },
    AddTagsToCertificate: {
      write: true,
      target: (b) => String(b.CertificateArn ?? ''),
      run(body) {
        const c = mustFind(body);
        const tags = aws.readTags(body, 'Tags', 'InvalidTagException');
        if (!tags?.length) throw new aws.AwsError('ValidationException', 'Tags must not be empty');
        c.tags = aws.mergeTags(c.tags, tags);
        return {};
      },
    },
  };
  return { operations, certificates };
}
