import { TableClient } from '@azure/data-tables';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

export const APP_OBJECT_ID = 'aaaaaaaa-1111-4222-8333-444444444444';
export const APP_ID = 'bbbbbbbb-1111-4222-8333-444444444444';
export const OTHER_APP_OBJECT_ID = 'cccccccc-1111-4222-8333-444444444444';

/** A small tenant: one vault the identity may write secrets to, one it may only read, and two apps with a secret each. */
export function rotationTenant(overrides: Partial<TenantDocument> = {}): TenantDocument {
  return {
    tenantId: 'dddddddd-1111-4222-8333-444444444444',
    displayName: 'Rotation Test',
    caller: {
      objectId: 'eeeeeeee-1111-4222-8333-444444444444',
      appId: 'ffffffff-1111-4222-8333-444444444444',
      displayName: 'keyward',
    },
    subscriptions: [
      {
        subscriptionId: '12345678-1111-4222-8333-444444444444',
        displayName: 'Prod',
        vaults: [
          {
            name: 'kv-apps',
            resourceGroup: 'rg',
            access: { model: 'rbac', callerRoles: ['Key Vault Secrets Officer'] },
            secrets: [{ name: 'payments-api-secret', expiresInDays: 20, tags: {} }],
          },
          {
            name: 'kv-mirror',
            resourceGroup: 'rg',
            access: { model: 'rbac', callerRoles: ['Key Vault Secrets Officer'] },
            secrets: [],
          },
          {
            name: 'kv-readonly',
            resourceGroup: 'rg',
            access: { model: 'rbac', callerRoles: ['Key Vault Secrets User'] },
            secrets: [],
          },
        ],
      },
    ],
    applications: [
      {
        displayName: 'Payments API',
        id: APP_OBJECT_ID,
        appId: APP_ID,
        owners: [{ displayName: 'Alice', userPrincipalName: 'alice@contoso.com' }],
        passwordCredentials: [{ displayName: 'prod', startInDays: -340, endInDays: 20 }],
      },
      {
        displayName: 'Other App',
        id: OTHER_APP_OBJECT_ID,
        passwordCredentials: [{ displayName: 'main', startInDays: -10, endInDays: 300 }],
      },
    ],
    ...overrides,
  };
}

export interface RotationStack {
  readonly sim: RunningAzureSim;
  readonly stack: KeywardStack;
  readonly cookie: string;
  vaultUri(name: string): string;
  call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }>;
  /** Polls the history until the rotation is completed, failed or overlapping. */
  waitForRotation(rotationId: string): Promise<RotationView>;
  rows(table: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export interface RotationView {
  rotationId: string;
  status: string;
  errorStep: string | null;
  errorCode: string | null;
  oldKeyId: string | null;
  newKeyId: string | null;
  newEndDateTime: string | null;
  steps: { name: string; status: string; detail: Record<string, unknown> }[];
}

/** The simulator, Azurite, the Service Bus emulator and the host on the compiled app, signed in as an admin. */
export async function startRotationStack(
  tenant: TenantDocument,
  env: Record<string, string> = {},
): Promise<RotationStack> {
  const sim = await startAzureSim({ tenant });
  let stack: KeywardStack;
  try {
    stack = await startKeywardStack({
      env: {
        ...sim.env(),
        KEYWARD_TIER: 'enterprise',
        ROTATION_VERIFY_ATTEMPTS: '6',
        ROTATION_VERIFY_BACKOFF_MS: '200',
        ...env,
      },
    });
  } catch (error) {
    await sim.stop();
    throw error;
  }
  const cookie = await stack.signIn({ email: 'rotation.admin@example.com', roles: ['admin'] });
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text };
  };
  return {
    sim,
    stack,
    cookie,
    vaultUri: (name) => sim.state.vaults.find((v) => v.spec.name === name)?.uri ?? '',
    call,
    async waitForRotation(rotationId) {
      for (;;) {
        const page = await call<{ rotations: RotationView[] }>('GET', `/api/automation/history?limit=200`);
        const r = page.body.rotations.find((x) => x.rotationId === rotationId);
        if (r && ['completed', 'failed', 'overlapping'].includes(r.status)) return r;
        await new Promise((done) => setTimeout(done, 200));
      }
    },
    async rows(table) {
      const client = TableClient.fromConnectionString(stack.azurite.connectionString, table, {
        allowInsecureConnection: true,
      });
      const out: Record<string, unknown>[] = [];
      try {
        for await (const e of client.listEntities()) out.push(e);
      } catch {
        return [];
      }
      return out;
    },
    async stop() {
      await stack.stop();
      await sim.stop();
    },
  };
}
