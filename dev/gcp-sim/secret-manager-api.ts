import { randomBytes } from 'node:crypto';
import * as gcp from './gcp-protocol';

/**
 * Secret Manager v1 over REST, the calls Keyward makes (paths and bodies seen from the Node client in REST mode,
 * research/cloud-apis.md §2; messages and limits from the API reference): secret ids `[A-Za-z0-9_-]{1,255}`, a
 * replication policy is required (automatic or user-managed), payloads at most 64 KiB, labels as Google
 * validates them, `versions/latest` is the newest version, and a disabled version cannot be accessed. Names in
 * responses use the project number, as the service does, whatever the request used.
 */
export interface SimGcpVersion {
  readonly number: number;
  readonly data: string;
  readonly createTime: Date;
  state: 'ENABLED' | 'DISABLED' | 'DESTROYED';
}

export interface SimGcpSecret {
  readonly id: string;
  labels: Record<string, string>;
  readonly replication: gcp.Json;
  readonly createTime: Date;
  etag: string;
  versions: SimGcpVersion[];
}

const newEtag = () => `"${randomBytes(6).toString('hex')}"`;

export function createSecretManagerApi(projectNumber: (project: string) => string, now: () => Date) {
  /** Secrets by `<project number>/<secret id>`. */
  const secrets = new Map<string, SimGcpSecret>();
  const secretName = (project: string, id: string) => `projects/${projectNumber(project)}/secrets/${id}`;
  const key = (project: string, id: string) => `${projectNumber(project)}/${id}`;

  const secretView = (project: string, s: SimGcpSecret): gcp.Json => ({
    name: secretName(project, s.id),
    replication: s.replication,
    createTime: gcp.rfc3339(s.createTime),
    labels: s.labels,
    etag: s.etag,
  });
  const versionView = (project: string, s: SimGcpSecret, v: SimGcpVersion): gcp.Json => ({
    name: `${secretName(project, s.id)}/versions/${v.number}`,
    createTime: gcp.rfc3339(v.createTime),
    state: v.state,
    etag: `"v${v.number}${v.state[0]}"`,
  });

  function mustFind(project: string, id: string): SimGcpSecret {
    const s = secrets.get(key(project, id));
    if (!s) throw gcp.notFound(`Secret [${secretName(project, id)}] not found.`);
    return s;
  }
  function findVersion(project: string, s: SimGcpSecret, version: string): SimGcpVersion {
    const v = version === 'latest' ? s.versions.at(-1) : s.versions.find((x) => String(x.number) === version);
    if (!v) throw gcp.notFound(`Secret Version [${secretName(project, s.id)}/versions/${version}] not found.`);
    return v;
  }

  function replicationOf(raw: unknown): gcp.Json {
    const r = (raw ?? {}) as gcp.Json;
    const automatic = r.automatic !== undefined && r.automatic !== null;
    const userManaged = r.userManaged as { replicas?: { location?: string }[] } | undefined;
    if (automatic === Boolean(userManaged))
      throw gcp.invalid('Secret.replication must set exactly one of automatic or user_managed.');
    if (userManaged && !(userManaged.replicas?.length && userManaged.replicas.every((x) => x.location))) {
      throw gcp.invalid('Secret.replication.user_managed.replicas must name at least one location.');
    }
    return automatic ? { automatic: {} } : { userManaged: { replicas: userManaged?.replicas } };
  }

  /** Handles `projects/{p}/secrets…`; null when the path is not Secret Manager's. */
  function handle(call: gcp.GcpCall): gcp.GcpResult | null {
    const parts = call.path.split('/');
    if (parts[0] !== 'projects' || parts[2] !== 'secrets' || !parts[1]) return null;
    const project = parts[1];
    const id = parts[3];
    const target = call.path;
    if (parts.length === 3 && call.method === 'POST' && !call.verb) {
      const secretId = call.query.get('secretId') ?? '';
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(secretId)) throw gcp.invalid('Secret ID must match [a-zA-Z0-9_-]{1,255}.');
      const labels = gcp.readLabels(call.body.labels);
      const replication = replicationOf(call.body.replication);
      if (secrets.has(key(project, secretId))) {
        throw gcp.alreadyExists(`Secret [${secretName(project, secretId)}] already exists.`);
      }
      const s: SimGcpSecret = { id: secretId, labels, replication, createTime: now(), etag: newEtag(), versions: [] };
      secrets.set(key(project, secretId), s);
      return { status: 200, body: secretView(project, s), write: true, target: `${target}/${secretId}` };
    }
    if (parts.length === 3 && call.method === 'GET' && !call.verb) {
      const pageSize = Math.min(Number(call.query.get('pageSize') ?? 25000) || 25000, 25000);
      const mine = [...secrets.values()].filter((s) => secrets.get(key(project, s.id)) === s);
      const body = { secrets: mine.slice(0, pageSize).map((s) => secretView(project, s)), totalSize: mine.length };
      return { status: 200, body, write: false, target };
    }
    if (!id) return null;
    if (parts.length === 4 && call.method === 'GET' && !call.verb) {
      return { status: 200, body: secretView(project, mustFind(project, id)), write: false, target };
    }
    if (parts.length === 4 && call.method === 'PATCH') {
      const s = mustFind(project, id);
      for (const field of gcp.updateMask(call.query)) {
        if (field !== 'labels') throw gcp.invalid(`The update_mask field ${field} is not supported by this simulator.`);
      }
      s.labels = gcp.readLabels(call.body.labels);
      s.etag = newEtag();
      return { status: 200, body: secretView(project, s), write: true, target };
    }
    if (parts.length === 4 && call.method === 'DELETE') {
      const s = mustFind(project, id);
      const etag = call.query.get('etag');
      if (etag && etag !== s.etag) throw gcp.failedPrecondition('The etag does not match the secret.');
      secrets.delete(key(project, id));
      return { status: 200, body: {}, write: true, target };
    }
    if (parts.length === 4 && call.method === 'POST' && call.verb === 'addVersion') {
      const s = mustFind(project, id);
      const data = ((call.body.payload ?? {}) as gcp.Json).data;
      if (typeof data !== 'string') throw gcp.invalid('SecretPayload.data is required.');
      if (Buffer.from(data, 'base64').length > 65536)
        throw gcp.invalid('Secret payload data must be at most 65536 bytes.');
      const v: SimGcpVersion = { number: s.versions.length + 1, data, createTime: now(), state: 'ENABLED' };
      s.versions.push(v);
      return { status: 200, body: versionView(project, s, v), write: true, target };
    }
    const version = parts[5];
    if (parts.length === 6 && parts[4] === 'versions' && version) {
      const s = mustFind(project, id);
      const v = findVersion(project, s, version);
      if (call.method === 'GET' && !call.verb)
        return { status: 200, body: versionView(project, s, v), write: false, target };
      if (call.method === 'GET' && call.verb === 'access') {
        if (v.state !== 'ENABLED') {
          throw gcp.failedPrecondition(
            `Secret Version [${secretName(project, id)}/versions/${v.number}] is in ${v.state} state.`,
          );
        }
        const body = { name: `${secretName(project, id)}/versions/${v.number}`, payload: { data: v.data } };
        return { status: 200, body, write: false, target };
      }
      if (call.method === 'POST' && call.verb === 'disable') {
        if (v.state === 'DESTROYED') throw gcp.failedPrecondition('A destroyed version cannot be disabled.');
        v.state = 'DISABLED';
        return { status: 200, body: versionView(project, s, v), write: true, target };
      }
    }
    return null;
  }

  return { handle, secrets };
}
