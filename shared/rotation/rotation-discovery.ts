import type { AppCredential, GraphApplication, RotationCloud } from './rotation-cloud';
import type { InventoryApp, RotationRecord } from './rotation-types';

type VaultSecret = InventoryApp['credentials'][number]['vaultSecrets'][number];

/** Lower-case letters and digits only, so `Payments-Gateway` and `payments gateway` compare equal. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Which vault secrets hold which app credential, by two signals in order of trust: tags (`appId` + `keyId`, as
 * Keyward and most rotation scripts write them) and a name convention (the secret's name is the app's display name
 * or client id, optionally with a `-secret`/`-client-secret` suffix). Reads metadata only. (Matching by value
 * fingerprint, Graph's 3-character `hint` against the value in memory, is not built yet.)
 */
export async function discoverInventory(deps: {
  readonly cloud: RotationCloud;
  readonly records: readonly RotationRecord[];
  readonly vaults: readonly string[];
}): Promise<InventoryApp[]> {
  const apps = await deps.cloud.listApplications();
  const secretsByVault = new Map<string, { name: string; tags: Record<string, string> }[]>();
  for (const vault of deps.vaults) {
    // A vault the identity cannot list holds nothing we can match; discovery goes on with the others.
    secretsByVault.set(vault, await deps.cloud.listSecrets(vault).catch(() => []));
  }
  const recordByKey = new Map(deps.records.filter((r) => r.keyId).map((r) => [r.keyId, r.id]));
  const coveredApps = new Set(deps.records.map((r) => r.appObjectId));

  const matches = (app: GraphApplication, credential: AppCredential & { hint?: string | null }): VaultSecret[] => {
    const found: VaultSecret[] = [];
    const names = new Set([squash(app.displayName), squash(app.appId)]);
    for (const [vaultUri, secrets] of secretsByVault) {
      for (const s of secrets) {
        if (s.tags.keyId === credential.keyId && (!s.tags.appId || s.tags.appId === app.appId)) {
          found.push({ vaultUri, secretName: s.name, matchedBy: 'tags' });
        } else if (names.has(squash(s.name.replace(/-(client-)?secret$/i, ''))) && !s.tags.keyId) {
          found.push({ vaultUri, secretName: s.name, matchedBy: 'name' });
        }
      }
    }
    return found;
  };

  const out: InventoryApp[] = [];
  for (const app of apps) {
    const owners = await deps.cloud.owners(app.id).catch(() => []);
    const credentials = [
      ...app.passwordCredentials.map((c) => ({ c, type: 'secret' as const })),
      ...app.keyCredentials.map((c) => ({ c, type: 'certificate' as const })),
    ].map(({ c, type }) => ({
      keyId: c.keyId,
      type,
      displayName: c.displayName,
      endDateTime: new Date(c.endDateTime).toISOString(),
      thumbprint: type === 'certificate' ? c.customKeyIdentifier : null,
      recordId: recordByKey.get(c.keyId) ?? null,
      vaultSecrets: type === 'secret' ? matches(app, c) : [],
    }));
    const ends = credentials.map((c) => c.endDateTime).sort();
    out.push({
      appObjectId: app.id,
      appId: app.appId,
      displayName: app.displayName.slice(0, 256),
      owners: owners.slice(0, 20),
      passwordCount: app.passwordCredentials.length,
      certificateCount: app.keyCredentials.length,
      nextExpiry: ends[0] ?? null,
      covered: coveredApps.has(app.id),
      credentials,
    });
  }
  return out;
}
