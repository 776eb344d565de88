import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredFunction } from './core-api';
import { readBody, sendJson } from './http-io';

export interface AdminApi {
  readonly functions: ReadonlyMap<string, RegisteredFunction>;
  /** Starts a non-HTTP function with the given input (runs in the background); throws for HTTP functions. */
  readonly run: (fn: RegisteredFunction, input: string) => void;
}

/**
 * The Functions host's admin API, the part useful locally: `POST /admin/functions/{name}` with
 * `{"input": "..."}` runs a timer or queue function now and answers 202, and `GET /admin/host/status`.
 * Azure guards it with the master key; locally it answers loopback callers only.
 * Returns false when the path is not an admin path.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  api: AdminApi,
): Promise<boolean> {
  if (!url.pathname.toLowerCase().startsWith('/admin/')) return false;
  if (!isLoopback(req.socket.remoteAddress)) {
    sendJson(res, 403, { error: 'forbidden', message: 'The admin API is only reachable from this machine.' });
    return true;
  }
  const invoke = /^\/admin\/functions\/([^/]+)\/?$/i.exec(url.pathname);
  if (invoke?.[1] && req.method === 'POST') {
    const name = decodeURIComponent(invoke[1]).toLowerCase();
    const fn = [...api.functions.values()].find((f) => f.metadata.name.toLowerCase() === name);
    if (!fn) {
      sendJson(res, 404, { error: 'not_found', message: `No function named "${name}".` });
      return true;
    }
    const body = await readBody(req, 1024 * 1024);
    const input = body === 'tooLarge' ? undefined : parseInput(body.toString('utf8'));
    if (input === undefined) {
      sendJson(res, 400, { error: 'bad_request', message: 'Expected a JSON body {"input": "<string>"}.' });
      return true;
    }
    try {
      api.run(fn, input);
    } catch (error) {
      sendJson(res, 400, { error: 'bad_request', message: error instanceof Error ? error.message : String(error) });
      return true;
    }
    res.writeHead(202).end();
    return true;
  }
  if (/^\/admin\/host\/status\/?$/i.test(url.pathname) && req.method === 'GET') {
    sendJson(res, 200, { state: 'Running', functions: [...api.functions.values()].map((f) => f.metadata.name) });
    return true;
  }
  sendJson(res, 404, { error: 'not_found', message: 'Unknown admin endpoint.' });
  return true;
}

function parseInput(text: string): string | undefined {
  if (text.trim() === '') return '';
  try {
    const value = JSON.parse(text) as { input?: unknown };
    if (value.input === undefined || value.input === null) return '';
    return typeof value.input === 'string' ? value.input : JSON.stringify(value.input);
  } catch {
    return undefined;
  }
}

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
