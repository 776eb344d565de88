import type { Clock } from '../../shared/time/clock';
import {
  certificateBundle,
  currentVersion,
  deletedBundle,
  itemSummary,
  keyBundle,
  secretBundle,
} from './keyvault-bundles';
import { checkVaultAccess, type KeyVaultOperation } from './keyvault-access';
import { createCerFactory } from './keyvault-cer';
import { apiError, json, page, type Route, type SimCall, type SimResponse } from './sim-http';
import { hexId, type ItemKind, type VaultItem, type VaultState } from './tenant-state';

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
  const cer = createCerFactory();
  const nowSec = (): number => Math.floor(clock.now().getTime() / 1000);

  function guarded(
    kind: ItemKind,
    op: KeyVaultOperation,
    run: (vault: VaultState, p: string[], call: SimCall) => SimResponse | Promise<SimResponse>,
  ) {
    return (call: SimCall, p: string[]): SimResponse | Promise<SimResponse> => {
      const vault = call.vault;
      if (!vault) return apiError(404, 'NotFound', 'Not a vault endpoint');
      const path = `/${kind}/${p[0] ?? ''}`;
      const denied = checkVaultAccess(vault, call.claims, kind, op, path, call.clientAddress);
      return denied ?? run(vault, p, call);
    };
  }

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
      if (kind === 'secrets') return json(200, secretBundle(vault, item, v));
      if (kind === 'keys') return json(200, keyBundle(vault, item, v));
      return json(200, certificateBundle(vault, item, v, cer.cerFor(`${vault.armId}/${item.name}/${v.version}`, v)));
    });
  }

  const setSecret = guarded('secrets', 'set', (vault, p, call) => {
    const body = (call.body ?? {}) as SecretWrite;
    if (typeof body.value !== 'string') return apiError(400, 'BadParameter', 'Property value is required.');
    const name = p[0] ?? '';
    if (vault.deleted.secrets.has(name)) {
      return apiError(
        409,
        'Conflict',
        `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
      );
    }
    const now = nowSec();
    const item: VaultItem = vault.items.secrets.get(name) ?? { name, versions: [] };
    const attrs = body.attributes ?? {};
    const version = {
      version: hexId(`${vault.armId}/secrets/${name}/${item.versions.length}/${now}`),
      enabled: attrs.enabled !== false,
      ...(typeof attrs.nbf === 'number' ? { nbf: attrs.nbf } : {}),
      ...(typeof attrs.exp === 'number' ? { exp: attrs.exp } : {}),
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

  const routes: Route[] = [];
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

function findItem(vault: VaultState, kind: ItemKind, name: string | undefined): VaultItem | undefined {
  if (!name) return undefined;
  return (
    vault.items[kind].get(name) ??
    [...vault.items[kind].values()].find((i) => i.name.toLowerCase() === name.toLowerCase())
  );
}

function notFound(kind: ItemKind, name: string | undefined): SimResponse {
  const code = { secrets: 'SecretNotFound', certificates: 'CertificateNotFound', keys: 'KeyNotFound' }[kind];
  const what = { secrets: 'Secret', certificates: 'Certificate', keys: 'Key' }[kind];
  return apiError(404, code, `A ${what.toLowerCase()} with (name/id) ${name ?? ''} was not found in this key vault.`);
}

function isTags(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}
