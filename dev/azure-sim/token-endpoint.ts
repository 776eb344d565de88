import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../shared/time/clock';
import { validCertificates, type CredentialBook } from './graph-credentials';
import type { SimRequest } from './sim-http';
import type { ApplicationState, TenantState } from './tenant-state';

/** The paths this endpoint answers on the main listener (outside the bearer-token pipeline, as Entra's are). */
export const TOKEN_PATH = /^\/([^/]+)\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration)\/?$/i;

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * An Entra error body (learn.microsoft.com/entra/identity-platform/reference-error-codes): `error`,
 * `error_description` starting with the AADSTS code, and `error_codes`.
 */
function entraError(status: number, error: string, code: number, text: string) {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The Entra v2.0 token endpoint for the client-credentials grant (learn.microsoft.com/entra/identity-platform/
 * v2-oauth2-client-creds-grant-flow) and the OpenID metadata MSAL reads first: a client authenticates with a secret
 * or with a client assertion signed by one of its certificates (certificate-credentials: aud = the token endpoint,
 * iss = sub = client id). A credential works only once its propagation delay has passed. Secrets, assertions and
 * bodies are never recorded; the request log holds the path only.
 */
export function tokenEndpoint(
  state: TenantState,
  clock: Clock,
  book: CredentialBook,
  baseUrl: () => string,
  onRequest: (entry: SimRequest) => void,
) {
  const appOf = (clientId: string): ApplicationState | undefined =>
    state.applications.find((a) => a.appId === clientId.toLowerCase());

  async function assertionValid(app: ApplicationState, assertion: string, audience: string): Promise<boolean> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jose = require('jose') as typeof import('jose');
    for (const cert of validCertificates(app, clock.now())) {
      try {
        const key = await jose.importX509(cert.toString(), 'RS256');
        await jose.jwtVerify(assertion, key, {
          audience,
          issuer: app.appId,
          subject: app.appId,
          algorithms: ['RS256', 'PS256'],
        });
        return true;
      } catch {
        // Another of the app's certificates may have signed it.
      }
    }
    return false;
  }

  async function token(req: IncomingMessage, tenant: string): Promise<{ status: number; body: unknown }> {
    const form = await readForm(req);
    if (tenant.toLowerCase() !== state.tenant.tenantId && tenant !== 'organizations') {
      return entraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const clientId = form.get('client_id') ?? '';
    const app = appOf(clientId);
    if (!app) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${state.tenant.displayName}'.`,
      );
    }
    const failure = book.fault('token');
    if (failure) return entraError(failure.status, failure.code, 50000, 'Simulated token endpoint failure.');
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret) {
      const matched = book.match(app.appId, secret);
      if (!matched || !matched.usable) {
        return entraError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
        );
      }
    } else if (assertion && form.get('client_assertion_type') === ASSERTION_TYPE) {
      const audience = `${baseUrl()}/${tenant}/oauth2/v2.0/token`;
      if (!(await assertionValid(app, assertion, audience))) {
        return entraError(
          401,
          'invalid_client',
          700027,
          'Client assertion failed signature validation, or the certificate is not registered on the application.',
        );
      }
    } else {
      return entraError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    // The token is opaque to a client-credentials caller; this one grants nothing in the simulator.
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: randomBytes(48).toString('base64url'),
      },
    };
  }

  function metadata(tenant: string) {
    const root = `${baseUrl()}/${tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${root}/oauth2/v2.0/token`,
        authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${root}/oauth2/v2.0/logout`,
        jwks_uri: `${baseUrl()}/${tenant}/discovery/v2.0/keys`,
        issuer: `${root}/v2.0`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        tenant_region_scope: 'EU',
      },
    };
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const [, tenant = '', kind = ''] = TOKEN_PATH.exec(url.pathname) ?? [];
    let answer: { status: number; body: unknown };
    try {
      if (kind.toLowerCase().startsWith('oauth2') && req.method === 'POST') answer = await token(req, tenant);
      else if (!kind.toLowerCase().startsWith('oauth2') && req.method === 'GET') answer = metadata(tenant);
      else answer = { status: 405, body: { error: 'method_not_allowed' } };
    } catch {
      answer = entraError(500, 'server_error', 50000, 'Simulator error.');
    }
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(answer.body));
    onRequest({
      at: new Date(started).toISOString(),
      api: 'identity',
      method: req.method ?? 'GET',
      path: url.pathname,
      status: answer.status,
      durationMs: Date.now() - started,
    });
  };
}
