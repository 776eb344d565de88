import type { Clock } from '../../shared/time/clock';
import {
  certificateBundle,
  currentVersion,
  deletedBundle,
  itemSummary,
  keyBundle,
  secretBundle,
} from './keyvault-bundles';
import { certificateWriteRoutes, seededCertificateSecret } from './keyvault-certificate-routes';
import { keyWriteRoutes, publicMaterial } from './keyvault-key-routes';
import {
  attributesFrom,
  badName,
  createKeyVaultKit,
  deletedConflict,
  findItem,
  guarded,
  isTags,
  notFound,
} from './keyvault-route-kit';
import { apiError, json, page, type Route, type SimResponse } from './sim-http';
import { hexId, type ItemKind, type VaultItem } from './tenant-state';

/** Key Vault caps a page at 25 items (`maxresults` 1..25, default 25). */
const MAX_RESULTS = 25;

interface SecretWrite {
  value?: unknown;
  contentType?: unknown;
  tags?: unknown;
  attributes?: { enabled?: unknown; nbf?: unknown; exp?: unknown };
}

/**
 * Key Vault data-plane routes (api-version 2025-07-01), served on each vault's own listener: the SDKs derive
 * the vault from the URL's host:port, so the vault is known before routing.
 */
export function keyVaultRoutes(clock: Clock): Route[] {
  const kit = createKeyVaultKit(clock);
  const { nowSec } = kit;

  function list(kind: ItemKind) {
    return guarded(kind, 'list', (vault, _p, call) => {
      const size = pageSize(call.url);
      if (typeof size !== 'number') return size;
      const live = [...vault.items[kind].values()].flatMap((item) => {
        const v = currentVersion(item);
        return v ? [itemSummary(vault, kind, item, v, false)] : [];
      });
      const { items, nextLink } = page(live, call.url, size);
      return json(200, { value: items, nextLink: nextLink ?? null });
    });
  }

  function versions(kind: ItemKind) {
    return guarded(kind, 'list', (vault, p, call) => {
      const item = findItem(vault, kind, p[0]);
      if (!item) return notFound(kind, p[0]);
      const size = pageSize(call.url);
      if (typeof size !== 'number') return size;
      const { items, nextLink } = page(
        item.versions.map((v) => itemSummary(vault, kind, item, v, true)),
        call.url,
        size,
      );
      return json(200, { value: items, nextLink: nextLink ?? null });
    });
  }

  function get(kind: ItemKind) {
    return guarded(kind, 'get', async (vault, p) => {
      const item = findItem(vault, kind, p[0]);
      const v = item && (p[1] ? item.versions.find((x) => x.version === p[1]) : currentVersion(item));
      if (!item || !v) return notFound(kind, p[0]);
      if (kind === 'secrets') {
        seededCertificateSecret(kit, vault, item, v);
        return json(200, secretBundle(vault, item, v));
      }
      if (kind === 'keys') return json(200, keyBundle(vault, item, v, publicMaterial(kit, vault, item, v)));
      const cer = v.cer ?? kit.cer.cerFor(`${vault.armId}/${item.name}/${v.version}`, v);
      return json(200, certificateBundle(vault, item, v, cer));
    });
  }

  const setSecret = guarded('secrets', 'set', (vault, p, call) => {
    const body = (call.body ?? {}) as SecretWrite;
    if (typeof body.value !== 'string') return apiError(400, 'BadParameter', 'Property value is required.');
    const name = p[0] ?? '';
    const refused = badName(name) ?? deletedConflict(vault, 'secrets', name);
    if (refused) return refused;
    const now = nowSec();
    const item: VaultItem = vault.items.secrets.get(name) ?? { name, versions: [] };
    const version = {
      version: hexId(`${vault.armId}/secrets/${name}/${item.versions.length}/${now}`),
      ...attributesFrom(body.attributes),
      created: now,
      updated: now,
      tags: isTags(body.tags) ? body.tags : {},
      ...(typeof body.contentType === 'string' ? { contentType: body.contentType } : {}),
      value: body.value,
    };
    item.versions.push(version);
    vault.items.secrets.set(name, item);
    return json(200, secretBundle(vault, item, version));
  });

  const updateSecret = guarded('secrets', 'update', (vault, p, call) => {
    const item = findItem(vault, 'secrets', p[0]);
    const v = item && (p[1] ? item.versions.find((x) => x.version === p[1]) : currentVersion(item));
    if (!item || !v) return notFound('secrets', p[0]);
    const body = (call.body ?? {}) as SecretWrite;
    const attrs = body.attributes ?? {};
    if (typeof attrs.enabled === 'boolean') v.enabled = attrs.enabled;
    if (typeof attrs.exp === 'number') v.exp = attrs.exp;
    if (typeof attrs.nbf === 'number') v.nbf = attrs.nbf;
    if (isTags(body.tags)) v.tags = body.tags;
    if (typeof body.contentType === 'string') v.contentType = body.contentType;
    v.updated = nowSec();
    // The update response is a SecretBundle without the value.
    const { value: _value, ...bundle } = secretBundle(vault, item, v);
    return json(200, bundle);
  });

  const deleteSecret = guarded('secrets', 'delete', (vault, p) => {
    const item = findItem(vault, 'secrets', p[0]);
    const v = item && currentVersion(item);
    if (!item || !v) return notFound('secrets', p[0]);
    if (v.managed)
      return apiError(403, 'Forbidden', `Secret ${item.name} is managed by a certificate and cannot be deleted.`);
    vault.items.secrets.delete(item.name);
    const deletedAt = nowSec();
    vault.deleted.secrets.set(item.name, { item, deletedAt });
    const { value: _value, ...bundle } = secretBundle(vault, item, v);
    return json(200, { ...bundle, ...deletedBundle(vault, 'secrets', item.name, deletedAt) });
  });

  const getDeletedSecret = guarded('secrets', 'list', (vault, p) => {
    const entry = vault.deleted.secrets.get(p[0] ?? '');
    const v = entry && currentVersion(entry.item);
    if (!entry || !v) return apiError(404, 'SecretNotFound', `Deleted Secret not found: ${p[0] ?? ''}`);
    const { value: _value, ...bundle } = secretBundle(vault, entry.item, v);
    return json(200, { ...bundle, ...deletedBundle(vault, 'secrets', entry.item.name, entry.deletedAt) });
  });

  // Certificate and key writes first: `/certificates/{name}/pending` must not read as a version named "pending".
  const routes: Route[] = [...certificateWriteRoutes(kit), ...keyWriteRoutes(kit)];
  for (const kind of ['secrets', 'certificates', 'keys'] as const) {
    routes.push(
      { method: 'GET', path: new RegExp(`^/${kind}/?$`, 'i'), handle: list(kind) },
      { method: 'GET', path: new RegExp(`^/${kind}/([^/]+)/versions/?$`, 'i'), handle: versions(kind) },
      { method: 'GET', path: new RegExp(`^/${kind}/([^/]+)(?:/([^/]*))?$`, 'i'), handle: get(kind) },
    );
  }
  routes.push(
    { method: 'PUT', path: /^\/secrets\/([^/]+)\/?$/i, write: true, handle: setSecret },
    { method: 'PATCH', path: /^\/secrets\/([^/]+)(?:\/([^/]*))?$/i, write: true, handle: updateSecret },
    { method: 'DELETE', path: /^\/secrets\/([^/]+)\/?$/i, write: true, handle: deleteSecret },
    { method: 'GET', path: /^\/deletedsecrets\/([^/]+)\/?$/i, handle: getDeletedSecret },
  );
  return routes;
}

function pageSize(url: URL): number | SimResponse {
  const raw = url.searchParams.get('maxresults');
  if (raw === null) return MAX_RESULTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS) {
    return apiError(
      400,
      'BadParameter',
      `The value ${raw} of maxresults is not valid: it must be between 1 and ${MAX_RESULTS}.`,
    );
  }
  return n;
}
