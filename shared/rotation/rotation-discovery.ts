import type { AppCredential, GraphApplication, RotationCloud, VaultSecretMeta } from './rotation-cloud';
import type { InventoryApp, RotationRecord } from './rotation-types';

type VaultSecret = InventoryApp['credentials'][number]['vaultSecrets'][number];

/** Lower-case letters and digits only, so `Payments-Gateway` and `payments gateway` compare equal. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

const DAY_MS = 86_400_000;

/**
 * Which vault secrets hold which app credential, by three signals in order of trust: tags (`keyId`, and `appId` when
 * present, as Keyward and most rotation scripts write them), the value fingerprint, and a name convention (the
 * secret's name is the app's display name or client id, optionally with a `-secret`/`-client-secret` suffix). The
 * fingerprint is Graph's `hint` (the secret's first three characters) compared with the value inside
 * `valueStartsWith`, which drops the value at once; it is asked only for an untagged secret whose name matches or
 * whose expiry is within a day of the credential's end, so discovery does not read every value of every vault.
 */
export async function discoverInventory(deps: {
  readonly cloud: RotationCloud;
  readonly records: readonly RotationRecord[];
  readonly vaults: readonly string[];
}): Promise<InventoryApp[]> {
  const apps = await deps.cloud.listApplications();
  const secretsByVault = new Map<string, VaultSecretMeta[]>();
  for (const uri of deps.vaults) {
    // Without the trailing slash, as record targets name vaults. A vault the identity cannot list holds nothing we
    // can match; discovery goes on with the others.
    const vault = uri.replace(/\/+$/, '');
    secretsByVault.set(vault, await deps.cloud.listSecrets(vault).catch(() => []));
  }
  const recordByKey = new Map(deps.records.filter((r) => r.keyId).map((r) => [r.keyId, r.id]));
  const coveredApps = new Set(deps.records.map((r) => r.appObjectId));

  const matches = async (app: GraphApplication, credential: AppCredential): Promise<VaultSecret[]> => {
    const found: VaultSecret[] = [];
    const names = new Set([squash(app.displayName), squash(app.appId)]);
    const end = new Date(credential.endDateTime).getTime();
    for (const [vaultUri, secrets] of secretsByVault) {
      for (const s of secrets) {
        if (s.tags.keyId === credential.keyId && (!s.tags.appId || s.tags.appId === app.appId)) {
          found.push({ vaultUri, secretName: s.name, matchedBy: 'tags' });
          continue;
        }
        if (s.tags.keyId) continue;
        const byName = names.has(squash(s.name.replace(/-(client-)?secret$/i, '')));
        const byExpiry = s.expiresOn !== null && Math.abs(new Date(s.expiresOn).getTime() - end) < DAY_MS;
        if (
          credential.hint &&
          (byName || byExpiry) &&
          (await deps.cloud.valueStartsWith(vaultUri, s.name, credential.hint))
        ) {
          found.push({ vaultUri, secretName: s.name, matchedBy: 'fingerprint' });
        } else if (byName) {
          found.push({ vaultUri, secretName: s.name, matchedBy: 'name' });
        }
      }
    }
    return found;
  };

  const out: InventoryApp[] = [];
  for (const app of apps) {
    const owners = await deps.cloud.owners(app.id).catch(() => []);
    const credentials: InventoryApp['credentials'] = [];
    for (const { c, type } of [
      ...app.passwordCredentials.map((c) => ({ c, type: 'secret' as const })),
      ...app.keyCredentials.map((c) => ({ c, type: 'certificate' as const })),
    ]) {
      credentials.push({
        keyId: c.keyId,
        type,
        displayName: c.displayName,
        endDateTime: new Date(c.endDateTime).toISOString(),
        thumbprint: type === 'certificate' ? c.customKeyIdentifier : null,
        recordId: recordByKey.get(c.keyId) ?? null,
        vaultSecrets: type === 'secret' ? await matches(app, c) : [],
      });
    }
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
