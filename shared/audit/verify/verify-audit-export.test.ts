import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { GENESIS_HASH, canonicalJson, hashEntry, sha256Hex } from './audit-canonical';
import { renderAuditCsv, type AuditCsvRow } from './audit-csv';
import { AUDIT_MANIFEST_FORMAT, hmacKeyId, type AuditManifest } from './audit-manifest';
import { readAuditPublicKey, type AuditPublicKey } from './audit-public-key';
import { verifyAuditExport } from './verify-audit-export';

/** A signing key pair made here; the test signs as docs/audit.md section 5 says Key Vault does (RS256 or ES256). */
interface TestKey {
  readonly privateKey: KeyObject;
  readonly publicKey: AuditPublicKey;
  readonly algorithm: 'RS256' | 'ES256';
}
function testKey(type: 'rsa' | 'ec'): TestKey {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return {
    privateKey: pair.privateKey,
    publicKey: readAuditPublicKey(pem),
    algorithm: type === 'rsa' ? 'RS256' : 'ES256',
  };
}
const KEY = testKey('rsa');
const EC_KEY = testKey('ec');
const OTHER_KEY = testKey('rsa');
const HMAC_KEY = 'unit-test-key-0123456789abcdef0123456789abcdef';

/** Signs like the app: canonical JSON of the document whose signature lacks only `value`. */
function signV2(unsigned: Omit<AuditManifest, 'signature'>, key: TestKey): AuditManifest {
  const header = {
    algorithm: key.algorithm,
    keyId: key.publicKey.keyId,
    keyVaultKeyId: 'https://kv.example/keys/audit-signing/0123456789abcdef0123456789abcdef',
  };
  const bytes = canonicalJson({ ...unsigned, signature: header } as never);
  const value = sign('sha256', Buffer.from(bytes), {
    key: key.privateKey,
    ...(key.algorithm === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  }).toString('base64');
  return { ...unsigned, signature: { ...header, value } };
}

/** Version 1, as exports made before Key Vault signing were: HMAC-SHA256 over the manifest without signature. */
function signV1(unsigned: Omit<AuditManifest, 'signature'>): AuditManifest {
  const document = { ...unsigned, algorithmVersion: 1 };
  const value = createHmac('sha256', HMAC_KEY)
    .update(canonicalJson(document as never))
    .digest('hex');
  return { ...document, signature: { algorithm: 'HMAC-SHA256', keyId: hmacKeyId(HMAC_KEY), value } };
}

/** Builds a valid chain of `n` rows, optionally re-hashing from `rehashFrom` after `edit` (a forger's attempt). */
function chain(n: number, edit?: (row: Omit<AuditCsvRow, 'hash' | 'prevHash'>, index: number) => void): AuditCsvRow[] {
  const rows: AuditCsvRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const details = { step: i };
    const row = {
      seq: String(i + 1),
      timestamp: `2026-11-22T10:00:0${i}.000Z`,
      actorType: 'system',
      actorId: 'system',
      actorName: '',
      action: 'discovery.scan.started',
      target: `scan:${i}`,
      outcome: 'success',
      details: canonicalJson(details),
      correlationId: `c-${i}`,
    };
    edit?.(row, i);
    const hash = hashEntry({ ...row, seq: i + 1, details: JSON.parse(row.details) as { step: number }, prevHash });
    rows.push({ ...row, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

function unsignedFor(rows: AuditCsvRow[], csv: Buffer): Omit<AuditManifest, 'signature'> {
  return {
    format: AUDIT_MANIFEST_FORMAT,
    algorithmVersion: 2,
    tenant: 't',
    scope: 's',
    range: { from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' },
    rowCount: rows.length,
    firstSeq: rows.length ? 1 : null,
    lastSeq: rows.length || null,
    firstHash: rows[0]?.hash ?? null,
    lastHash: rows.at(-1)?.hash ?? null,
    chainHeadSeq: rows.length,
    chainHeadHash: rows.at(-1)?.hash ?? GENESIS_HASH,
    csvFileName: 'audit.csv',
    csvSha256: sha256Hex(csv),
    generatedAt: '2026-11-23T00:00:00.000Z',
    generatedBy: 'user:u-1',
  };
}
function manifestFor(rows: AuditCsvRow[], csv: Buffer, key = KEY): AuditManifest {
  return signV2(unsignedFor(rows, csv), key);
}
const keys = { publicKeys: [KEY.publicKey] };

const rows = chain(5);
const csv = Buffer.from(renderAuditCsv(rows));
const manifest = manifestFor(rows, csv);

describe('verifyAuditExport', () => {
  it('accepts an intact export and an empty one', () => {
    expect(verifyAuditExport({ csv, manifest, ...keys })).toMatchObject({
      ok: true,
      rowCount: 5,
      firstSeq: 1,
      lastSeq: 5,
    });
    const empty = Buffer.from(renderAuditCsv([]));
    expect(verifyAuditExport({ csv: empty, manifest: manifestFor([], empty), ...keys })).toMatchObject({
      ok: true,
      rowCount: 0,
    });
  });

  it('names the row when a field is edited and its hash recomputed (the next link breaks)', () => {
    const forged = rows.map((row) => ({ ...row }));
    const third = forged[2];
    if (!third) throw new Error('fixture');
    third.outcome = 'failure';
    third.hash = hashEntry({ ...third, seq: 3, details: { step: 2 } });
    const result = verifyAuditExport({ csv: Buffer.from(renderAuditCsv(forged)), manifest, ...keys });
    expect(result).toMatchObject({ ok: false, row: 4, seq: 4, problem: expect.stringContaining('prevHash') });
  });

  it('catches a whole chain recomputed after an edit through the signed last hash', () => {
    const forged = chain(5, (row, i) => {
      if (i === 1) row.target = 'scan:forged';
    });
    const result = verifyAuditExport({ csv: Buffer.from(renderAuditCsv(forged)), manifest, ...keys });
    expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('manifest') });
  });

  it('rejects a chain that does not start from genesis, non-canonical details and a bad header', () => {
    const notGenesis = rows.map((row, i) => (i === 0 ? { ...row, prevHash: 'a'.repeat(64) } : row));
    const csvNotGenesis = Buffer.from(renderAuditCsv(notGenesis));
    expect(
      verifyAuditExport({ csv: csvNotGenesis, manifest: manifestFor(notGenesis, csvNotGenesis), ...keys }),
    ).toMatchObject({ ok: false, row: 1, problem: expect.stringContaining('genesis') });

    const spaced = Buffer.from(renderAuditCsv(rows).replace('{""step"":0}', '{""step"": 0}'));
    expect(verifyAuditExport({ csv: spaced, manifest: manifestFor(rows, spaced), ...keys })).toMatchObject({
      ok: false,
      row: 1,
      problem: 'details is not in canonical form',
    });

    const header = Buffer.from(renderAuditCsv(rows).replace('"seq"', '"sequence"'));
    expect(verifyAuditExport({ csv: header, manifest: manifestFor(rows, header), ...keys })).toMatchObject({
      ok: false,
      line: 1,
    });
  });

  it('rejects a manifest of another version or format', () => {
    expect(verifyAuditExport({ csv, manifest: { ...manifest, algorithmVersion: 3 }, ...keys })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('unsupported algorithm version 3'),
    });
    expect(verifyAuditExport({ csv, manifest: [], ...keys }).ok).toBe(false);
  });
});

describe('version 2 signatures (public key only)', () => {
  const serialized = JSON.stringify(manifest);

  it('fails when any single byte of a signed value changes', () => {
    // Every digit of csvSha256 and of the signature, one at a time, and a byte inside the tenant.
    const signed = manifest.signature.value;
    for (const [field, text] of [
      ['csvSha256', manifest.csvSha256],
      ['signature', signed],
    ] as const) {
      for (let i = 0; i < text.length; i += 7) {
        const flipped = text.slice(0, i) + (text[i] === 'a' ? 'b' : 'a') + text.slice(i + 1);
        const altered = JSON.parse(serialized.replace(text, flipped)) as unknown;
        const result = verifyAuditExport({ csv, manifest: altered, ...keys });
        expect({ field, i, ok: result.ok }).toEqual({ field, i, ok: false });
      }
    }
    expect(verifyAuditExport({ csv, manifest: { ...manifest, tenant: 'u' }, ...keys })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('the manifest was altered'),
    });
  });

  it('fails on a changed byte of the CSV', () => {
    const changed = Buffer.from(csv);
    changed.writeUInt8(changed.readUInt8(changed.length - 10) ^ 0x01, changed.length - 10);
    expect(verifyAuditExport({ csv: changed, manifest, ...keys }).ok).toBe(false);
  });

  it('refuses a forged manifest signed with another key, whatever key id it claims', () => {
    const forged = signV2({ ...unsignedFor(rows, csv), rowCount: 5 }, OTHER_KEY);
    expect(verifyAuditExport({ csv, manifest: forged, ...keys })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('signed with another key'),
    });
    // The forger names the trusted key's id: the signature still does not verify with that key.
    const claimed = { ...forged, signature: { ...forged.signature, keyId: KEY.publicKey.keyId } };
    expect(verifyAuditExport({ csv, manifest: claimed, ...keys })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('altered'),
    });
  });

  it('signs the algorithm and key named: changing keyVaultKeyId or the algorithm fails', () => {
    const moved = { ...manifest, signature: { ...manifest.signature, keyVaultKeyId: 'https://kv.example/keys/x/1' } };
    expect(verifyAuditExport({ csv, manifest: moved, ...keys }).ok).toBe(false);
    const downgraded = { ...manifest, signature: { ...manifest.signature, algorithm: 'ES256' } };
    expect(verifyAuditExport({ csv, manifest: downgraded, ...keys }).ok).toBe(false);
  });

  it('verifies ES256 (P-256, r||s) as Key Vault returns it', () => {
    const ec = manifestFor(rows, csv, EC_KEY);
    expect(verifyAuditExport({ csv, manifest: ec, publicKeys: [KEY.publicKey, EC_KEY.publicKey] })).toMatchObject({
      ok: true,
      algorithmVersion: 2,
    });
  });

  it('needs no secret: without a public key it says what is missing', () => {
    expect(verifyAuditExport({ csv, manifest, hmacKey: HMAC_KEY })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('needs the public key'),
    });
  });
});

describe('version 1 exports (HMAC, written before Key Vault signing)', () => {
  const v1 = signV1(unsignedFor(rows, csv));

  it('still verify with the HMAC key', () => {
    expect(verifyAuditExport({ csv, manifest: v1, hmacKey: HMAC_KEY })).toMatchObject({
      ok: true,
      algorithmVersion: 1,
      rowCount: 5,
    });
  });

  it('are not accepted on a public key alone, and an altered one fails', () => {
    expect(verifyAuditExport({ csv, manifest: v1, ...keys })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('needs the HMAC key'),
    });
    expect(verifyAuditExport({ csv, manifest: { ...v1, rowCount: 4 }, hmacKey: HMAC_KEY })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('altered'),
    });
    expect(verifyAuditExport({ csv, manifest: v1, hmacKey: 'another-key-of-at-least-thirty-two-chars' })).toMatchObject(
      {
        ok: false,
        problem: expect.stringContaining('another key'),
      },
    );
  });
});
