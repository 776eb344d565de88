import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { Clock } from '../../shared/time/clock';
import { apiError, json, type Route, type SimCall, type SimResponse } from './sim-http';
import type { ApplicationState, GraphCredential, TenantState } from './tenant-state';
import type { Tenant } from './tenant-schema';

/** The credential operations a test can make fail (and counts), including the token endpoint. */
export const credentialSteps = ['addPassword', 'removePassword', 'addKey', 'removeKey', 'token'] as const;
export type CredentialStep = (typeof credentialSteps)[number];

/** A failure to answer for the next `times` calls of a step (Infinity: every call). */
export interface StepFailure {
  readonly status: number;
  readonly code: string;
  readonly times: number;
}

/** Knobs of the credential routes and the token endpoint. */
export interface CredentialKnobs {
  /** How long after it was added a credential starts working at the token endpoint (Entra's replication). */
  propagationDelayMs: number;
  /** The token endpoint never accepts a credential added while the simulator runs (a verify that cannot pass). */
  rejectNewCredentials: boolean;
  failures: Partial<Record<CredentialStep, StepFailure>>;
  /** Starts every new secret text, so a leak test can search logs, tables and messages for it. */
  secretPrefix: string;
}

/** What the token endpoint may check a credential against; the secret text itself is never kept (only a hash). */
interface IssuedSecret {
  readonly appId: string;
  readonly keyId: string;
  readonly sha256: string;
  readonly usableAtMs: number;
}

/** Everything the tests read back: calls per step, and the key ids removed (in order). */
export interface CredentialLedger {
  readonly calls: Record<CredentialStep, number>;
  readonly removedKeyIds: string[];
  readonly addedKeyIds: string[];
}

/**
 * State the Graph credential routes and the token endpoint share: hashes of issued secrets, the knobs and the
 * ledger. Secret text is returned once by addPassword and never stored, as Graph does.
 */
export function createCredentialBook() {
  const secrets = new Map<string, IssuedSecret>();
  const knobs: CredentialKnobs = { propagationDelayMs: 0, rejectNewCredentials: false, failures: {}, secretPrefix: '' };
  const ledger: CredentialLedger = {
    calls: { addPassword: 0, removePassword: 0, addKey: 0, removeKey: 0, token: 0 },
    removedKeyIds: [],
    addedKeyIds: [],
  };
  const hash = (text: string): string => createHash('sha256').update(text).digest('hex');
  return {
    knobs,
    ledger,
    /** Counts the call and answers the injected failure, if one is armed for this step. */
    fault(step: CredentialStep): StepFailure | undefined {
      ledger.calls[step] += 1;
      const failure = knobs.failures[step];
      if (!failure || failure.times <= 0) return undefined;
      knobs.failures[step] = { ...failure, times: failure.times - 1 };
      return failure;
    },
    remember(appId: string, keyId: string, secretText: string): void {
      secrets.set(keyId, {
        appId,
        keyId,
        sha256: hash(secretText),
        usableAtMs: knobs.rejectNewCredentials ? Number.POSITIVE_INFINITY : Date.now() + knobs.propagationDelayMs,
      });
    },
    forget(keyId: string): void {
      secrets.delete(keyId);
    },
    /** The key id of the app's secret whose text this is, and whether it has propagated yet. */
    match(appId: string, secretText: string): { keyId: string; usable: boolean } | null {
      const digest = hash(secretText);
      for (const s of secrets.values()) {
        if (s.appId === appId && s.sha256 === digest) return { keyId: s.keyId, usable: Date.now() >= s.usableAtMs };
      }
      return null;
    },
    configure(patch: Partial<CredentialKnobs>): void {
      Object.assign(knobs, patch);
    },
  };
}

export type CredentialBook = ReturnType<typeof createCredentialBook>;

const DAY_MS = 86_400_000;
/** The audience of addKey/removeKey proofs (application-addkey.md): the Azure AD Graph app id. */
export const PROOF_AUDIENCE = '00000002-0000-0000-c000-000000000000';

type Policy = NonNullable<Tenant['applications'][number]['policy']>;

/** Graph's restriction list for one kind, from the simulator's policy. */
function restrictions(policy: Policy, days: number | null, type: string) {
  return days === null
    ? []
    : [
        {
          restrictionType: type,
          maxLifetime: `P${days}D`,
          restrictForAppsCreatedAfterDateTime: '2019-01-01T00:00:00Z',
          state: policy.isEnabled ? 'enabled' : 'disabled',
        },
      ];
}

/**
 * A policy as Graph returns it. The tenant default (tenantAppManagementPolicy) holds its rules in
 * `applicationRestrictions`; a policy assigned to an app (appManagementPolicy) holds them in `restrictions`.
 */
function policyJson(id: string, policy: Policy, name: string, field: 'applicationRestrictions' | 'restrictions') {
  return {
    id,
    displayName: name,
    description: name,
    isEnabled: policy.isEnabled,
    [field]: {
      passwordCredentials: restrictions(policy, policy.passwordLifetimeDays, 'passwordLifetime'),
      keyCredentials: restrictions(policy, policy.keyLifetimeDays, 'asymmetricKeyLifetime'),
    },
  };
}

/** The policy in force for an app: its assigned policy replaces the tenant default (no merge), as Graph documents. */
function policyFor(state: TenantState, app: ApplicationState): { id: string; policy: Policy } {
  return app.policy
    ? { id: `policy-${app.id}`, policy: app.policy }
    : { id: '00000000-0000-0000-0000-000000000000', policy: state.tenant.appManagementPolicy };
}

/** The real body of a lifetime refusal (OfficeDev/microsoft-365-agents-toolkit#10998, Azure/azure-cli#28522). */
function lifetimeRefusal(policyId: string, clock: Clock): SimResponse {
  const message = `Credential lifetime exceeds the max value allowed as per assigned policy '${policyId}'.`;
  return json(400, {
    error: {
      code: 'CredentialInvalidLifetimeAsPerAppPolicy',
      message,
      details: [{ code: 'InvalidKeyEndDate', message, target: 'EndDate' }],
      innerError: { date: clock.now().toISOString().slice(0, 19), 'request-id': randomUUID() },
    },
  });
}

const denied = (): SimResponse =>
  apiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

/** The app's certificates that can sign a proof or client assertion: a key is present and it is within validity. */
export function validCertificates(app: ApplicationState, now: Date): X509Certificate[] {
  return app.keyCredentials
    .filter((k) => k.key && new Date(k.startDateTime) <= now && new Date(k.endDateTime) > now)
    .map((k) => new X509Certificate(Buffer.from(k.key ?? '', 'base64')));
}

/** Verifies a JWT against any of `certs` with jose; answers the payload or null. */
async function verifiedBy(
  token: string,
  certs: readonly X509Certificate[],
  options: { audience: string; issuer?: string },
): Promise<Record<string, unknown> | null> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jose = require('jose') as typeof import('jose');
  for (const cert of certs) {
    try {
      const key = await jose.importX509(cert.toString(), 'RS256');
      const { payload } = await jose.jwtVerify(token, key, {
        audience: options.audience,
        ...(options.issuer ? { issuer: options.issuer } : {}),
        algorithms: ['RS256', 'PS256'],
      });
      return payload as Record<string, unknown>;
    } catch {
      // Try the next certificate: the app may hold more than one.
    }
  }
  return null;
}

/**
 * Graph application credential actions (microsoft-graph-docs-contrib api-reference/v1.0: application-addpassword,
 * -removepassword, -addkey, -removekey) and the app-management policies they are checked against
 * (tenantappmanagementpolicy-get, application-list-appmanagementpolicies). Writes need Application.ReadWrite.All,
 * or Application.ReadWrite.OwnedBy on an app the caller owns; policy reads need Policy.Read.All.
 */
export function graphCredentialRoutes(
  state: TenantState,
  clock: Clock,
  book: CredentialBook,
  findApp: (key: string | undefined) => ApplicationState | undefined,
): Route[] {
  const permissions = (): readonly string[] => state.tenant.caller.graphPermissions;
  const mayWrite = (app: ApplicationState): boolean =>
    permissions().includes('Application.ReadWrite.All') ||
    (permissions().includes('Application.ReadWrite.OwnedBy') && app.ownedByCaller);
  const mayReadPolicy = (): boolean => permissions().includes('Policy.Read.All');
  const missing = (key: string | undefined): SimResponse =>
    apiError(
      404,
      'Request_ResourceNotFound',
      `Resource '${key ?? ''}' does not exist or one of its queried reference-property objects are not present.`,
    );

  /** Runs a credential write: the app exists, the caller may write it, no failure is armed. */
  const write =
    (step: CredentialStep, run: (app: ApplicationState, call: SimCall) => SimResponse | Promise<SimResponse>) =>
    (call: SimCall, p: string[]): SimResponse | Promise<SimResponse> => {
      const app = findApp(p[0]);
      if (!app) return missing(p[0]);
      if (!mayWrite(app)) return denied();
      const failure = book.fault(step);
      if (failure) return apiError(failure.status, failure.code, `Simulated ${step} failure.`);
      return run(app, call);
    };

  const maxLifetimeDays = (app: ApplicationState, kind: 'password' | 'key'): { id: string; days: number | null } => {
    const { id, policy } = policyFor(state, app);
    if (!policy.isEnabled) return { id, days: null };
    return { id, days: kind === 'password' ? policy.passwordLifetimeDays : policy.keyLifetimeDays };
  };

  const addPassword = write('addPassword', (app, call) => {
    const input =
      ((call.body ?? {}) as { passwordCredential?: { displayName?: unknown; endDateTime?: unknown } })
        .passwordCredential ?? {};
    const now = clock.now();
    // Without endDateTime Graph uses start + 2 years, which a lifetime cap then refuses.
    const end =
      typeof input.endDateTime === 'string' ? new Date(input.endDateTime) : new Date(now.getTime() + 2 * 365 * DAY_MS);
    if (Number.isNaN(end.getTime()) || end <= now) {
      return apiError(400, 'Request_BadRequest', 'Invalid value specified for property endDateTime.');
    }
    const cap = maxLifetimeDays(app, 'password');
    if (cap.days !== null && end.getTime() - now.getTime() > cap.days * DAY_MS) return lifetimeRefusal(cap.id, clock);
    const secretText = `${book.knobs.secretPrefix}${randomBytes(30).toString('base64url')}`.slice(0, 64);
    const credential: GraphCredential = {
      keyId: randomUUID(),
      displayName: typeof input.displayName === 'string' ? input.displayName : null,
      startDateTime: now.toISOString(),
      endDateTime: end.toISOString(),
      customKeyIdentifier: null,
      hint: secretText.slice(0, 3),
    };
    app.passwordCredentials.push(credential);
    book.remember(app.appId, credential.keyId, secretText);
    book.ledger.addedKeyIds.push(credential.keyId);
    return json(200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential',
      ...credential,
      secretText,
    });
  });

  const removePassword = write('removePassword', (app, call) => {
    const keyId = (call.body as { keyId?: unknown } | undefined)?.keyId;
    const index = app.passwordCredentials.findIndex((c) => c.keyId === keyId);
    if (index < 0)
      return apiError(400, 'Request_BadRequest', `No password credential found with keyId ${String(keyId)}.`);
    app.passwordCredentials.splice(index, 1);
    book.forget(String(keyId));
    book.ledger.removedKeyIds.push(String(keyId));
    return { status: 204 };
  });

  const proofOf = async (app: ApplicationState, proof: unknown): Promise<boolean> =>
    typeof proof === 'string' &&
    (await verifiedBy(proof, validCertificates(app, clock.now()), { audience: PROOF_AUDIENCE, issuer: app.id })) !==
      null;

  const addKey = write('addKey', async (app, call) => {
    const body = (call.body ?? {}) as {
      keyCredential?: { type?: unknown; usage?: unknown; key?: unknown; displayName?: unknown };
      proof?: unknown;
    };
    const input = body.keyCredential ?? {};
    if (input.type !== 'AsymmetricX509Cert' || input.usage !== 'Verify' || typeof input.key !== 'string') {
      return apiError(400, 'Request_BadRequest', 'keyCredential must be an AsymmetricX509Cert with usage Verify.');
    }
    if (!(await proofOf(app, body.proof))) {
      return apiError(400, 'Request_BadRequest', 'Proof of possession validation failed.');
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(input.key, 'base64'));
    } catch {
      return apiError(400, 'Request_BadRequest', 'Invalid value specified for property key of resource KeyCredential.');
    }
    const start = new Date(cert.validFrom);
    const end = new Date(cert.validTo);
    const cap = maxLifetimeDays(app, 'key');
    if (cap.days !== null && end.getTime() - start.getTime() > cap.days * DAY_MS) return lifetimeRefusal(cap.id, clock);
    const credential: GraphCredential = {
      keyId: randomUUID(),
      displayName: typeof input.displayName === 'string' ? input.displayName : cert.subject.replace(/\n/g, ', '),
      startDateTime: start.toISOString(),
      endDateTime: end.toISOString(),
      customKeyIdentifier: cert.fingerprint.replace(/:/g, ''),
      hint: null,
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: input.key,
    };
    app.keyCredentials.push(credential);
    book.ledger.addedKeyIds.push(credential.keyId);
    // A keyCredential has no `hint` (that is a passwordCredential property); `key` is not returned.
    const { hint: _hint, ...answer } = credential;
    return json(200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.keyCredential',
      ...answer,
      key: null,
    });
  });

  const removeKey = write('removeKey', async (app, call) => {
    const body = (call.body ?? {}) as { keyId?: unknown; proof?: unknown };
    if (!(await proofOf(app, body.proof))) {
      return apiError(400, 'Request_BadRequest', 'Proof of possession validation failed.');
    }
    const index = app.keyCredentials.findIndex((c) => c.keyId === body.keyId);
    if (index < 0)
      return apiError(400, 'Request_BadRequest', `No key credential found with keyId ${String(body.keyId)}.`);
    app.keyCredentials.splice(index, 1);
    book.ledger.removedKeyIds.push(String(body.keyId));
    return { status: 204 };
  });

  return [
    { method: 'POST', path: /^\/v1\.0\/applications\/([^/]+)\/addPassword\/?$/i, write: true, handle: addPassword },
    {
      method: 'POST',
      path: /^\/v1\.0\/applications\/([^/]+)\/removePassword\/?$/i,
      write: true,
      handle: removePassword,
    },
    { method: 'POST', path: /^\/v1\.0\/applications\/([^/]+)\/addKey\/?$/i, write: true, handle: addKey },
    { method: 'POST', path: /^\/v1\.0\/applications\/([^/]+)\/removeKey\/?$/i, write: true, handle: removeKey },
    {
      method: 'GET',
      path: /^\/v1\.0\/policies\/defaultAppManagementPolicy\/?$/i,
      handle: () =>
        mayReadPolicy()
          ? json(200, {
              '@odata.context':
                'https://graph.microsoft.com/v1.0/$metadata#policies/defaultAppManagementPolicy/$entity',
              ...policyJson(
                '00000000-0000-0000-0000-000000000000',
                state.tenant.appManagementPolicy,
                'Default app management tenant policy',
                'applicationRestrictions',
              ),
            })
          : denied(),
    },
    {
      method: 'GET',
      path: /^\/v1\.0\/applications\/([^/]+)\/appManagementPolicies\/?$/i,
      handle: (_call, p) => {
        const app = findApp(p[0]);
        if (!app) return missing(p[0]);
        if (!mayReadPolicy()) return denied();
        return json(200, {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#appManagementPolicies',
          value: app.policy
            ? [policyJson(`policy-${app.id}`, app.policy, `Policy of ${app.displayName}`, 'restrictions')]
            : [],
        });
      },
    },
  ];
}
