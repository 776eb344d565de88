import type { Clock } from '../../shared/time/clock';
import { graphCredentialRoutes, type CredentialBook } from './graph-credentials';
import { apiError, json, page, type Route, type SimCall, type SimResponse } from './sim-http';
import { guid, type ApplicationState, type GraphCredential, type TenantState } from './tenant-state';

const DEFAULT_PAGE = 100;
const MAX_TOP = 999;

/**
 * Microsoft Graph v1.0 routes (microsoftgraph/msgraph-metadata v1.0 CSDL; resources application,
 * servicePrincipal, passwordCredential, keyCredential, organization); the credential actions and policies are in
 * graph-credentials.ts. Paths are under `/v1.0`.
 */
export function graphRoutes(
  state: TenantState,
  clock: Clock,
  baseUrl: () => string,
  book: CredentialBook,
  refuseOwners: () => boolean = () => false,
): Route[] {
  const { tenant } = state;
  const context = (set: string): string => `${baseUrl()}/v1.0/$metadata#${set}`;
  const findApp = (key: string | undefined): ApplicationState | undefined => {
    const byAppId = /^\(appId='([0-9a-f-]{36})'\)$/i.exec(key ?? '')?.[1];
    return state.applications.find((a) => (byAppId ? a.appId === byAppId : a.id === key));
  };
  const appOr404 = (key: string | undefined, then: (a: ApplicationState) => SimResponse): SimResponse => {
    const app = findApp(key);
    if (!app)
      return apiError(
        404,
        'Request_ResourceNotFound',
        `Resource '${key ?? ''}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return then(app);
  };

  const applicationJson = (a: ApplicationState) => ({
    id: a.id,
    appId: a.appId,
    displayName: a.displayName,
    createdDateTime: a.createdDateTime,
    signInAudience: 'AzureADMyOrg',
    passwordCredentials: a.passwordCredentials.map(passwordJson),
    keyCredentials: a.keyCredentials.map(keyJson),
  });
  const servicePrincipalJson = (a: ApplicationState) => ({
    id: guid(`servicePrincipal/${a.appId}`),
    appId: a.appId,
    displayName: a.displayName,
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: tenant.tenantId,
    accountEnabled: true,
    passwordCredentials: a.servicePrincipalPasswords.map(passwordJson),
    keyCredentials: a.servicePrincipalKeys.map(keyJson),
  });
  /** Reading applications and service principals needs Application.Read.All (or wider); else Graph's 403. */
  const canRead = (): boolean =>
    tenant.caller.graphPermissions.some((p) =>
      /^(Application\.Read(Write)?\.All|Directory\.Read(Write)?\.All)$/.test(p),
    );
  const denied = (): SimResponse =>
    apiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const readable =
    (handle: Route['handle']): Route['handle'] =>
    (call, p) =>
      canRead() ? handle(call, p) : denied();

  function collection(set: string, all: readonly Record<string, unknown>[], call: SimCall): SimResponse {
    const topRaw = call.url.searchParams.get('$top');
    const top = topRaw === null ? DEFAULT_PAGE : Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      return apiError(
        400,
        'Request_UnsupportedQuery',
        `Invalid page size specified: '${topRaw ?? ''}'. Must be between 1 and ${MAX_TOP} inclusive.`,
      );
    }
    const select = call.url.searchParams
      .get('$select')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const { items, nextLink } = page(all, call.url, top);
    const value = select
      ? items.map((i) => Object.fromEntries(select.filter((k) => k in i).map((k) => [k, i[k]])))
      : items;
    return json(200, { '@odata.context': context(set), value, ...(nextLink ? { '@odata.nextLink': nextLink } : {}) });
  }

  return [
    {
      method: 'GET',
      path: /^\/v1\.0\/applications\/?$/i,
      handle: readable((call) => collection('applications', state.applications.map(applicationJson), call)),
    },
    {
      method: 'GET',
      path: /^\/v1\.0\/applications\/?([^/]+)\/?$/i,
      handle: (_call, p) =>
        appOr404(p[0], (a) => json(200, { '@odata.context': context('applications/$entity'), ...applicationJson(a) })),
    },
    {
      method: 'GET',
      path: /^\/v1\.0\/applications\/([^/]+)\/owners\/?$/i,
      // List owners: Application.Read.All or higher (application-list-owners), like the applications themselves.
      handle: readable((call, p) =>
        refuseOwners()
          ? denied()
          : appOr404(p[0], (a) =>
              collection(
                'directoryObjects',
                a.owners.map((o) => ({
                  '@odata.type': '#microsoft.graph.user',
                  id: guid(`user/${o.userPrincipalName}`),
                  displayName: o.displayName,
                  userPrincipalName: o.userPrincipalName,
                  mail: o.userPrincipalName,
                })),
                call,
              ),
            ),
      ),
    },
    ...graphCredentialRoutes(state, clock, book, findApp),
    {
      method: 'GET',
      path: /^\/v1\.0\/servicePrincipals\/?$/i,
      handle: readable((call) => collection('servicePrincipals', state.applications.map(servicePrincipalJson), call)),
    },
    {
      method: 'GET',
      path: /^\/v1\.0\/organization\/?$/i,
      handle: (call) =>
        collection(
          'organization',
          [
            {
              id: tenant.tenantId,
              displayName: tenant.displayName,
              verifiedDomains: [
                {
                  name: `${tenant.displayName.toLowerCase().replace(/[^a-z0-9]/g, '')}.onmicrosoft.com`,
                  isDefault: true,
                  isInitial: true,
                  type: 'Managed',
                  capabilities: 'Email, OfficeCommunicationsOnline',
                },
              ],
            },
          ],
          call,
        ),
    },
  ];
}

/** A passwordCredential as Graph returns it on reads: `secretText` is always null after creation. */
function passwordJson(c: GraphCredential) {
  const { type: _t, usage: _u, ...rest } = c;
  return { ...rest, secretText: null };
}

/** A keyCredential as Graph returns it: no `hint` (that is a password property), `key` null unless $select'ed. */
function keyJson(c: GraphCredential) {
  const { hint: _h, ...rest } = c;
  return { ...rest, key: null };
}

/** Graph resource units of one request (throttling-limits: GET applications 2 RU, $select −1, $top < 20 −1). */
export function graphCost(method: string, url: URL): number {
  if (method !== 'GET') return 1;
  let cost = 2;
  if (url.searchParams.has('$select')) cost -= 1;
  const top = Number(url.searchParams.get('$top') ?? 'NaN');
  if (top < 20) cost -= 1;
  return Math.max(1, cost);
}
