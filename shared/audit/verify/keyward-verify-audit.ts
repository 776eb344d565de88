#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { readAuditPublicKey, type AuditPublicKey } from './audit-public-key';
import { verifyAuditExport } from './verify-audit-export';

// keyward-verify-audit: a standalone check of a Keyward audit export. Only Node built-ins are used, so it can
// be compiled and run on its own. Exit 0 = verified, 1 = a fault was found, 2 = usage or unreadable input.

const USAGE = `usage: keyward-verify-audit <export.csv> <manifest.json> --public-key <file>... [--checkpoints <file.json>]...
  --public-key: the audit signing key's public key (PEM, JWK, a Key Vault key as \`az keyvault key show\` prints it,
    or the answer of GET /api/audit/public-key); repeat it for older key versions. This is all version 2 needs.
  Version 1 exports (HMAC, written before Key Vault signing) need the HMAC key instead: --key-file <path>,
    KEYWARD_AUDIT_HMAC_KEY, or --key <key> (visible to other local users). It verifies only version 1.
  --checkpoints takes a JSON file holding one checkpoint or an array of them.`;

function main(argv: readonly string[]): number {
  const positional: string[] = [];
  const checkpointFiles: string[] = [];
  const publicKeys: AuditPublicKey[] = [];
  let key = process.env.KEYWARD_AUDIT_HMAC_KEY;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--key' || arg === '--key-file' || arg === '--checkpoints' || arg === '--public-key') {
      if (value === undefined) return usage(`${arg} needs a value`);
      i++;
      if (arg === '--public-key') publicKeys.push(readAuditPublicKey(readFileSync(value, 'utf8')));
      else if (arg === '--key') key = value;
      else if (arg === '--key-file') key = readFileSync(value, 'utf8').replace(/\r?\n$/, '');
      else checkpointFiles.push(value);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg?.startsWith('--')) {
      return usage(`unknown option ${arg}`);
    } else if (arg !== undefined) {
      positional.push(arg);
    }
  }
  const [csvPath, manifestPath] = positional;
  if (!csvPath || !manifestPath || positional.length !== 2) return usage('give the CSV and the manifest');
  if (!key && publicKeys.length === 0) return usage('no key: give --public-key (or, for version 1, the HMAC key)');

  const checkpoints = checkpointFiles.flatMap((file) => {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  });
  const result = verifyAuditExport({
    csv: readFileSync(csvPath),
    manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) as unknown,
    publicKeys,
    ...(key ? { hmacKey: key } : {}),
    checkpoints,
  });
  if (result.ok) {
    const span = result.firstSeq === null ? 'no rows' : `seq ${result.firstSeq}..${String(result.lastSeq)}`;
    console.log(
      `OK: ${result.rowCount} rows (${span}), chain and manifest verified (algorithm version ${result.algorithmVersion}), ${result.checkpointsChecked} checkpoints checked`,
    );
    return 0;
  }
  const where =
    result.row !== undefined
      ? `row ${result.row}${result.line !== undefined ? ` (line ${result.line})` : ''}${result.seq !== undefined ? ` seq ${result.seq}` : ''}: `
      : '';
  console.error(`FAILED: ${where}${result.problem}`);
  return 1;
}

function usage(message: string): number {
  console.error(`${message}\n${USAGE}`);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`cannot verify: ${(error as Error).message}`);
  process.exitCode = 2;
}
