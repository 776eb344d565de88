import { keyBundle, currentVersion } from './keyvault-bundles';
import { defaultKeyOps, generateKey, KEY_OPS, requestedShape, signDigest } from './keyvault-key-material';
import {
  attributesFrom,
  badName,
  deletedConflict,
  findItem,
  guarded,
  isTags,
  notFound,
  type KeyVaultKit,
  type WriteAttributes,
} from './keyvault-route-kit';
import { apiError, json, type Route, type SimResponse } from './sim-http';
import { hexId, type ItemVersion, type VaultItem, type VaultState } from './tenant-state';

interface KeyCreate {
  kty?: unknown;
  key_size?: unknown;
  crv?: unknown;
  key_ops?: unknown;
  attributes?: WriteAttributes;
  tags?: unknown;
}

/** The public JWK of a key version (none for `oct` keys, whose material Key Vault never returns). */
export function publicMaterial(kit: KeyVaultKit, vault: VaultState, item: VaultItem, v: ItemVersion) {
  if (v.kty?.startsWith('oct')) return {};
  return kit.material.publicJwk(vault, item.name, v);
}

/**
 * Key writes and cryptography of the data plane (api-version 2025-07-01): `POST /keys/{name}/create` and
 * `POST /keys/{name}/{version}/sign`. Private key material never leaves the simulator, as in Key Vault (keys are
 * not exportable); `sign` takes a digest the client computed and returns the signature base64url.
 */
export function keyWriteRoutes(kit: KeyVaultKit): Route[] {
  const createKey = guarded('keys', 'create', (vault, p, call) => {
    const name = p[0] ?? '';
    const refused = badName(name) ?? deletedConflict(vault, 'keys', name);
    if (refused) return refused;
    const body = (call.body ?? {}) as KeyCreate;
    const shape = requestedShape(body.kty, body.key_size, body.crv);
    if (typeof shape === 'string') return apiError(400, 'BadParameter', shape);
    if (body.key_ops !== undefined && !validOps(body.key_ops)) {
      return apiError(400, 'BadParameter', `key_ops must be a list of: ${KEY_OPS.join(', ')}.`);
    }
    const now = kit.nowSec();
    const item: VaultItem = vault.items.keys.get(name) ?? { name, versions: [] };
    const version: ItemVersion = {
      version: hexId(`${vault.armId}/keys/${name}/${item.versions.length}/${now}/${Math.random()}`),
      ...attributesFrom(body.attributes),
      created: now,
      updated: now,
      tags: isTags(body.tags) ? body.tags : {},
      kty: String(body.kty),
      keyShape: shape,
      keyOps: validOps(body.key_ops) ? body.key_ops : defaultKeyOps(shape.kty),
    };
    kit.material.set(vault, name, version.version, generateKey(shape));
    item.versions.push(version);
    vault.items.keys.set(name, item);
    return json(200, keyBundle(vault, item, version, publicMaterial(kit, vault, item, version)));
  });

  const sign = guarded('keys', 'sign', (vault, p, call) => {
    const item = findItem(vault, 'keys', p[0]);
    const v = item && (p[1] ? item.versions.find((x) => x.version === p[1]) : currentVersion(item));
    if (!item || !v) return notFound('keys', p[0]);
    const body = (call.body ?? {}) as { alg?: unknown; value?: unknown };
    if (typeof body.alg !== 'string' || typeof body.value !== 'string') {
      return apiError(400, 'BadParameter', 'Properties alg and value are required.');
    }
    const unusable = unusableFor(v, 'sign', kit.nowSec());
    if (unusable) return unusable;
    if (v.kty?.startsWith('oct'))
      return apiError(400, 'BadParameter', `Algorithm ${body.alg} is not valid for key type oct.`);
    const outcome = signDigest(
      kit.material.forVersion(vault, item.name, v),
      body.alg,
      Buffer.from(body.value, 'base64url'),
    );
    if ('refused' in outcome) return apiError(400, 'BadParameter', outcome.refused);
    return json(200, {
      kid: `${vault.uri}/keys/${item.name}/${v.version}`,
      value: outcome.signature.toString('base64url'),
    });
  });

  return [
    { method: 'POST', path: /^\/keys\/([^/]+)\/create\/?$/i, write: true, handle: createKey },
    // The SDK sends an empty version segment (`/keys/name//sign`) for the current version.
    { method: 'POST', path: /^\/keys\/([^/]+)\/([^/]*)\/sign\/?$/i, handle: sign },
  ];
}

function validOps(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((op) => typeof op === 'string' && (KEY_OPS as readonly string[]).includes(op));
}

/** Key Vault refuses an operation on a disabled key, one not yet valid or expired, or one its key_ops leave out. */
function unusableFor(v: ItemVersion, op: string, now: number): SimResponse | null {
  if (!v.enabled) return apiError(403, 'Forbidden', `Operation ${op} is not allowed on a disabled key.`, 'KeyDisabled');
  if ((v.nbf !== undefined && v.nbf > now) || (v.exp !== undefined && v.exp <= now)) {
    return apiError(403, 'Forbidden', `Operation ${op} is not allowed on an expired or not yet valid key.`);
  }
  if (!(v.keyOps ?? defaultKeyOps(v.kty)).includes(op)) {
    return apiError(403, 'Forbidden', `Operation ${op} is not permitted on this key.`, 'KeyOperationForbidden');
  }
  return null;
}
