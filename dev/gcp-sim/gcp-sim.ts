import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFaultState, type CloudSimKnobs } from '../cloud-sim/cloud-sim-knobs';
import { createCertificateManagerApi } from './certificate-manager-api';
import { GcpError, type GcpCall, type Json } from './gcp-protocol';
import { createSecretManagerApi } from './secret-manager-api';

export type { CloudSimKnobs, CloudSimLogEntry } from '../cloud-sim/cloud-sim-knobs';

export interface GcpSimOptions {
  readonly port?: number;
  readonly knobs?: Partial<CloudSimKnobs>;
  readonly now?: () => Date;
}

/**
 * One loopback HTTP endpoint serving Secret Manager and Certificate Manager v1 REST, as the Node clients reach it
 * with `fallback: true` (`apiEndpoint` + `port` + `protocol: 'http'`). Every request needs a bearer token; its
 * signature is not checked. A project id maps to a stable project number, which responses use.
 */
export async function startGcpSim(options: GcpSimOptions = {}) {
  const now = options.now ?? (() => new Date());
  const faults = createFaultState(options.knobs);
  const projectNumber = (project: string): string =>
    /^\d+$/.test(project)
      ? project
      : String(parseInt(createHash('sha256').update(project).digest('hex').slice(0, 10), 16));
  const secretManager = createSecretManagerApi(projectNumber, now);
  const certificateManager = createCertificateManagerApi(projectNumber, now);

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, e: GcpError) =>
    send(res, e.status, { error: { code: e.status, message: e.message, status: e.code } });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://sim');
    const service = url.pathname.includes('/secrets') ? 'secretmanager' : 'certificatemanager';
    const entry = { service, operation: req.method ?? '', target: url.pathname, write: req.method !== 'GET' };
    const fail = (e: GcpError) => {
      faults.record({ ...entry, status: e.status });
      sendError(res, e);
    };
    if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) {
      fail(new GcpError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.'));
      return;
    }
    const match = /^\/v1\/([^:]+)(?::(\w+))?$/.exec(url.pathname);
    let body: Json = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {};
    } catch {
      fail(new GcpError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
      return;
    }
    if (faults.knobs().latencyMs > 0) await sleep(faults.knobs().latencyMs);
    const fault = faults.before();
    if (fault) {
      const e =
        fault === 'throttled'
          ? new GcpError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric requests.')
          : new GcpError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
      faults.record({ ...entry, status: e.status, fault });
      sendError(res, e);
      return;
    }
    try {
      if (!match?.[1]) throw new GcpError(404, 'NOT_FOUND', `Path ${url.pathname} not found.`);
      const call: GcpCall = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(match[1]),
        verb: match[2] ?? null,
        query: url.searchParams,
        body,
      };
      const result = secretManager.handle(call) ?? certificateManager.handle(call);
      if (!result) throw new GcpError(404, 'NOT_FOUND', `Method ${call.method} ${url.pathname} not found.`);
      const logged = {
        ...entry,
        operation: `${call.method}${call.verb ? `:${call.verb}` : ''}`,
        write: result.write,
        target: result.target,
      };
      if (result.write && faults.loseResponse()) {
        faults.record({ ...logged, status: 503, fault: 'lostResponse' });
        sendError(res, new GcpError(503, 'UNAVAILABLE', 'The service is currently unavailable.'));
        return;
      }
      faults.record({ ...logged, status: result.status });
      send(res, result.status, result.body);
    } catch (error) {
      fail(error instanceof GcpError ? error : new GcpError(500, 'INTERNAL', 'Internal error.'));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    projectNumber,
    requestLog: faults.log,
    clearLog: faults.clearLog,
    setKnobs: faults.setKnobs,
    secrets: secretManager.secrets,
    certificates: certificateManager.certificates,
    setPollsUntilDone: certificateManager.setPollsUntilDone,
    env: (): Record<string, string> => ({ SYNC_GCP_ENDPOINT: endpoint }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RunningGcpSim = Awaited<ReturnType<typeof startGcpSim>>;
