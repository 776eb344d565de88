import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { handleAdmin, type AdminApi } from './admin-api';
import { handleAuthEndpoint } from './auth-endpoints';
import { isPlatformIdentityHeader, principalHeaders } from './auth-principal';
import { SESSION_COOKIE, type SessionSigner, type SessionUser } from './auth-session';
import { decideUnauthenticated, type GlobalValidation } from './auth-settings';
import type { RegisteredFunction } from './core-api';
import type { RpcInvocationResponse } from './core-types';
import { triggerOf } from './function-bindings';
import { parseCookies } from './http-cookies';
import { httpResultOf, readBody, sendJson, writeHttpResult } from './http-io';
import { matchRoute, type CompiledRoute } from './http-routes';
import { describeError, type HostLogger } from './host-log';
import type { InvocationInput } from './invocation-runner';

export interface HttpHostOptions {
  /** HTTP functions' routes, most specific first (see sortRoutes). */
  readonly routes: readonly CompiledRoute<RegisteredFunction>[];
  readonly execute: (fn: RegisteredFunction, input: InvocationInput) => Promise<RpcInvocationResponse>;
  readonly signer: SessionSigner;
  readonly auth: GlobalValidation;
  readonly admin: AdminApi;
  readonly log: HostLogger;
  /** Largest request body accepted; larger ones get 413. */
  readonly maxBodyBytes: number;
}

/**
 * The front door, in App Service's order: EasyAuth first (forged identity headers stripped, `/.auth/*`,
 * the globalValidation gate, principal headers for a valid session), then the admin API, then the app's
 * routes. A failing function gives a generic 500; the full error goes to the local log only.
 */
export function createHttpListener(options: HttpHostOptions): RequestListener {
  return (req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.log('error', `Request ${req.method ?? '?'} ${req.url ?? '?'} failed: ${describeError(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'The request failed.' });
      else res.destroy();
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpHostOptions): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return sendJson(res, 400, { error: 'bad_request', message: 'Malformed request URL.' });
  }
  // Only EasyAuth may set identity headers: a client's copies never get past this line.
  for (const name of Object.keys(req.headers)) if (isPlatformIdentityHeader(name)) delete req.headers[name];

  if (handleAuthEndpoint(req, res, url, options.signer)) return;
  if (await handleAdmin(req, res, url, options.admin)) return;

  const session = options.signer.verify(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
  if (!session) {
    const requestedWith = req.headers['x-requested-with'];
    const decision = decideUnauthenticated(
      options.auth,
      url.pathname + url.search,
      typeof requestedWith === 'string' ? requestedWith : undefined,
    );
    if (decision.kind === 'redirect') return void res.writeHead(302, { location: decision.location }).end();
    if (decision.kind === 'deny') {
      return sendJson(res, decision.status, {
        error: decision.status === 401 ? 'unauthorized' : 'forbidden',
        message: 'Sign in at /.auth/login/aad.',
      });
    }
  }

  const method = (req.method ?? 'GET').toUpperCase();
  const match = matchRoute(options.routes, method, url.pathname);
  if (match.kind === 'notFound')
    return sendJson(res, 404, { error: 'not_found', message: 'No function matches this path.' });
  if (match.kind === 'methodNotAllowed') {
    return sendJson(
      res,
      405,
      { error: 'method_not_allowed', message: `Allowed: ${match.allow.join(', ')}.` },
      { allow: match.allow.join(', ') },
    );
  }

  const body = await readBody(req, options.maxBodyBytes);
  if (body === 'tooLarge') {
    return sendJson(
      res,
      413,
      { error: 'payload_too_large', message: `Request bodies are limited to ${options.maxBodyBytes} bytes.` },
      { connection: 'close' },
    );
  }
  const fn = match.route.target;
  // The URL the function sees keeps the client's Host, unless it is not a plain host[:port].
  const host = /^[\w.-]+(:\d+)?$|^\[[\da-f:]+\](:\d+)?$/i.test(req.headers.host ?? '') ? req.headers.host : 'localhost';
  const input: InvocationInput = {
    inputData: [
      {
        name: triggerOf(fn).name,
        data: {
          http: {
            method,
            url: `http://${host}${url.pathname}${url.search}`,
            headers: {
              ...flattenHeaders(req),
              'x-forwarded-for': forwardedFor(req),
              ...(session ? principalHeaders(sessionUser(session)) : {}),
            },
            params: match.params,
            body: { bytes: body },
          },
        },
      },
    ],
  };
  let response: RpcInvocationResponse;
  try {
    response = await options.execute(fn, input);
  } catch {
    // The runner has logged the full error; the client learns nothing about it.
    return sendJson(res, 500, { error: 'internal_error', message: 'The function failed.' });
  }
  writeHttpResult(res, method, httpResultOf(response));
}

/**
 * As App Service's front end does, the peer's address is appended to X-Forwarded-For: the last entry is the one
 * a front end vouches for (the app keys its rate limits on it), whatever the client put before it.
 */
function forwardedFor(req: IncomingMessage): string {
  const sent = req.headers['x-forwarded-for'];
  const client = [sent ?? []].flat().join(', ');
  const peer = req.socket.remoteAddress ?? 'unknown';
  return client ? `${client}, ${peer}` : peer;
}

/** Node's header object with repeated headers joined as HTTP allows (cookies with `; `). */
function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  }
  return headers;
}

function sessionUser(session: SessionUser): SessionUser {
  return { email: session.email, name: session.name, roles: session.roles };
}
