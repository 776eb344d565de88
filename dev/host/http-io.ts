import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcHttpData, RpcInvocationResponse } from './core-types';
import { rpcCookieToHeader } from './http-cookies';

/**
 * Reads the whole request body, or reports `tooLarge` past `limit` bytes. An oversized body is still
 * drained (up to 4 × limit) so the client sees the 413 rather than a broken pipe; beyond that the
 * connection is dropped.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'tooLarge'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > 4 * limit) req.destroy();
    });
    req.on('end', () => resolve(size > limit ? 'tooLarge' : Buffer.concat(chunks)));
    req.on('close', () => {
      if (!req.complete) resolve('tooLarge');
    });
    req.on('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

/** The function's HTTP result: the `$return` value or a named http output binding. */
export function httpResultOf(response: RpcInvocationResponse): RpcHttpData | undefined {
  if (response.returnValue?.http) return response.returnValue.http;
  return response.outputData?.find((output) => output.data?.http)?.data?.http;
}

/**
 * Writes the function's HTTP result. A function that returns nothing gets 204, as the Functions host
 * answers an empty HTTP output.
 */
export function writeHttpResult(res: ServerResponse, method: string, http: RpcHttpData | undefined): void {
  if (!http) {
    res.writeHead(204).end();
    return;
  }
  const status = Number(http.statusCode ?? 200) || 200;
  const headers: Record<string, string | string[]> = { ...http.headers };
  const cookies = (http.cookies ?? []).map(rpcCookieToHeader);
  const headerCookie = headers['set-cookie'];
  if (cookies.length > 0) headers['set-cookie'] = [...(headerCookie ? [headerCookie].flat() : []), ...cookies];
  const body = http.body?.bytes ? Buffer.from(http.body.bytes) : Buffer.from(http.body?.string ?? '');
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(method === 'HEAD' || status === 204 || status === 304 ? undefined : body);
}
