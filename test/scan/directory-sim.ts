import { ManagedIdentityCredential } from '@azure/identity';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';
import { createCloudClients, type CloudClients } from '../../shared/cloud/cloud-clients';

export const SUB = '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
export const LOCKED = '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f';
export const caller = {
  objectId: '1f2a3b4c-5d6e-4f7a-8b9c-0d1e2f3a4b5c',
  appId: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
  displayName: 'keyward',
};
export const tenant = (graphPermissions?: string[]): TenantDocument => ({
  tenantId: '3b4c5d6e-7f80-4a9b-8c1d-2e3f4a5b6c7d',
  displayName: 'Directory',
  caller: { ...caller, ...(graphPermissions ? { graphPermissions } : {}) },
  subscriptions: [
    { subscriptionId: SUB, displayName: 'readable' },
    { subscriptionId: LOCKED, displayName: 'listed, not readable', callerCanRead: false },
  ],
  applications: [
    { displayName: 'plain-api', passwordCredentials: [{ displayName: 'ci', endInDays: 40 }] },
    // An enterprise SSO app: its service principal holds the SAML signing certificate and its password.
    { displayName: 'saml-portal', samlSigningEndInDays: 20 },
  ],
});

export const SELECT = '$select=id,appId,displayName,passwordCredentials,keyCredentials&$top=999';

/**
 * A simulator of the document with cloud clients on it. The identity library keeps the first identity endpoint it
 * used for the process, so a test file starts one (the refused-permission case is a file of its own).
 */
export async function startDirectorySim(
  doc: TenantDocument,
): Promise<{ sim: RunningAzureSim; cloud: CloudClients; stop: () => Promise<void> }> {
  const sim = await startAzureSim({ tenant: doc });
  const restore = useSimIdentityEnv(sim);
  const settings = { armEndpoint: sim.armEndpoint, graphEndpoint: sim.graphEndpoint, simulator: true };
  const cloud = createCloudClients({ ...settings, caCertPem: sim.caCertPem }, new ManagedIdentityCredential());
  return {
    sim,
    cloud,
    stop: async () => {
      restore();
      await sim.stop();
    },
  };
}
