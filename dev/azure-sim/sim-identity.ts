import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from './sim-auth';
import type { SimRequest } from './sim-http';

/**
 * The App Service managed-identity endpoint (api-version 2019-08-01): `GET {IDENTITY_ENDPOINT}?resource=…`
 * with the `x-identity-header` secret, answering `{ access_token, expires_on, resource, token_type }` as
 * documented in learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference.
 */
export function identityHandler(tokens: TokenService, identityHeader: string, onRequest: (entry: SimRequest) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      // The query holds only api-version, resource and client_id; the header secret is not recorded.
      const path = url.pathname + url.search;
      onRequest({
        at: new Date(started).toISOString(),
        api: 'identity',
        method: req.method ?? 'GET',
        path,
        status,
        durationMs: Date.now() - started,
      });
    };
    if (url.pathname !== '/msi/token') return answer(404, { error: 'not_found' });
    if (req.headers['x-identity-header'] !== identityHeader) {
      return answer(401, { statusCode: 401, message: 'Unauthorized: x-identity-header is missing or wrong.' });
    }
    const resource = url.searchParams.get('resource');
    if (!resource) return answer(400, { statusCode: 400, message: 'resource is required.' });
    const { token, expiresOn } = tokens.issue(resource);
    answer(200, {
      access_token: token,
      expires_on: String(expiresOn),
      resource,
      token_type: 'Bearer',
      // App Service's endpoint names the identity's client id in every answer, asked for or not.
      client_id: url.searchParams.get('client_id') ?? tokens.clientId,
    });
  };
}
