#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { readAuditPublicKey, type AuditPublicKey } from '../../audit/verify/audit-public-key';
import { verifyEvidencePackage } from './evidence-manifest';

// keyward-verify-evidence: a standalone check of a Keyward compliance evidence package (the JSON the API returns
// and the dashboard downloads: the signed manifest and every file). Node built-ins only. Exit 0 = verified,
// 1 = a fault was found, 2 = usage or unreadable input.

const USAGE = `usage: keyward-verify-evidence <package.json> --public-key <file>...
  --public-key: the audit signing key's public key (PEM, JWK, a Key Vault key as \`az keyvault key show\` prints it,
    or the answer of GET /api/audit/public-key); repeat it for older key versions.`;

interface PackageFile {
  readonly name?: unknown;
  readonly encoding?: unknown;
  readonly content?: unknown;
}

function main(argv: readonly string[]): number {
  const publicKeys: AuditPublicKey[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--public-key') {
      if (value === undefined) return usage(`${arg} needs a value`);
      i++;
      try {
        publicKeys.push(readAuditPublicKey(readFileSync(value, 'utf8')));
      } catch (error) {
        return usage(`${value}: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg?.startsWith('--')) {
      return usage(`unknown option ${arg}`);
    } else if (arg !== undefined) positional.push(arg);
  }
  const [path] = positional;
  if (!path || positional.length !== 1) return usage('give the package file');
  if (publicKeys.length === 0) return usage('no key: give --public-key');
  let parsed: { manifest?: unknown; files?: PackageFile[] };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as typeof parsed;
  } catch {
    return usage(`${path} is not a readable JSON package`);
  }
  const files = new Map<string, Buffer>();
  for (const f of parsed.files ?? []) {
    if (typeof f.name !== 'string' || typeof f.content !== 'string') return usage('a file entry lacks name or content');
    files.set(f.name, Buffer.from(f.content, f.encoding === 'base64' ? 'base64' : 'utf8'));
  }
  const result = verifyEvidencePackage(parsed.manifest, files, { publicKeys });
  if (result.ok) {
    console.log(`OK: manifest signature and ${files.size} attachments verified`);
    return 0;
  }
  console.error(`FAILED: ${result.problem}`);
  return 1;
}

function usage(problem: string): number {
  console.error(`${problem}\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
