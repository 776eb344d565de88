import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import Ajv from 'ajv';
import { ManagedIdentityCredential } from '@azure/identity';
import { startAzureSim, type RunningAzureSim } from '../../dev/azure-sim/azure-sim';
import { useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';

/**
 * The simulator's answers to the operations the product calls, validated against the JSON schemas of the official
 * REST specifications (excerpts checked in under specs/, each with its repository path, commit and api-version) and
 * against the shape of the specifications' example responses. Objects are validated closed: a field the
 * specification does not define is a simulator invention and fails.
 */
interface SpecFile {
  source: { path: string; commit: string; apiVersion: string };
  definitions: Record<string, Record<string, unknown>>;
  examples?: Record<string, { item: Record<string, unknown> }>;
}
const spec = (name: string): SpecFile => JSON.parse(readFileSync(join(__dirname, 'specs', name), 'utf8')) as SpecFile;

/** Every object definition with properties, closed (additionalProperties: false unless the spec says otherwise). */
function closed(definitions: SpecFile['definitions']): SpecFile['definitions'] {
  const close = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(close);
    if (!schema || typeof schema !== 'object') return schema;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema)) out[k] = close(v);
    if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return out;
  };
  return close(definitions) as SpecFile['definitions'];
}

function validator(file: SpecFile, definition: string) {
  // Swagger 2.0 formats (unixtime, int32) are not JSON Schema formats; types and shapes are what is checked.
  const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore' });
  return ajv.compile({ definitions: closed(file.definitions), $ref: `#/definitions/${definition}` });
}

function expectValid(file: SpecFile, definition: string, body: unknown): void {
  const validate = validator(file, definition);
  const ok = validate(body);
  expect({ definition, source: file.source.path, errors: ok ? [] : validate.errors }).toEqual({
    definition,
    source: file.source.path,
    errors: [],
  });
}

/** The keys of an object and of its nested objects, as dotted paths (array items under `[]`). */
function shape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length ? shape(value[0], `${prefix}[]`) : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...shape(v, `${prefix}${k}.`)]);
}

describe('simulator responses against the Azure REST specifications', () => {
  let sim: RunningAzureSim;
  let restore: () => void;
  let token: (resource: string) => Promise<string>;
  beforeAll(async () => {
    sim = await startAzureSim({ tenant: 'demo' });
    restore = useSimIdentityEnv(sim);
    const credential = new ManagedIdentityCredential();
    token = async (scope) => (await credential.getToken(scope)).token;
  });
  afterAll(async () => {
    restore?.();
    await sim?.stop();
  });

  async function get(url: string, scope: string): Promise<{ status: number; body: unknown }> {
    const bearer = await token(scope);
    return new Promise((resolve, reject) => {
      const req = request(url, { ca: sim.caCertPem, headers: { authorization: `Bearer ${bearer}` } }, (m) => {
        let text = '';
        m.on('data', (c: Buffer) => (text += c.toString()));
        m.on('end', () => resolve({ status: m.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Every page of a Key Vault list, validated; Key Vault ends a list with `"nextLink": null` (see below). */
  async function expectListValid(file: SpecFile, definition: string, base: string): Promise<void> {
    let next: string | null = `${base}?api-version=${file.source.apiVersion}&maxresults=2`;
    let pages = 0;
    while (next) {
      const { status, body } = await get(next, 'https://vault.azure.net/.default');
      expect(status).toBe(200);
      const { nextLink, ...rest } = body as { nextLink?: string | null };
      expectValid(file, definition, nextLink === null ? rest : body);
      next = nextLink ?? null;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
  }

  it('Subscriptions_List (2022-12-01) matches SubscriptionListResult and the example item shape', async () => {
    const file = spec('subscriptions-2022-12-01.json');
    const { status, body } = await get(
      `${sim.armEndpoint}/subscriptions?api-version=${file.source.apiVersion}`,
      'https://management.azure.com/.default',
    );
    expect(status).toBe(200);
    expectValid(file, 'SubscriptionListResult', body);
    const example = file.examples?.Subscriptions_List?.item ?? {};
    for (const item of (body as { value: unknown[] }).value) {
      const have = new Set(shape(item));
      // Keys inside arrays are compared only when the item's array has entries (an empty managedByTenants is valid).
      expect(shape(example).filter((k) => !have.has(k) && !k.startsWith('tags.') && !k.includes('[]'))).toEqual([]);
    }
  });

  it('GetSecrets, GetSecret and GetCertificates (7.5) match their schemas on every page', async () => {
    const file = spec('keyvault-secrets-7.5.json');
    const arm = await get(
      `${sim.armEndpoint}/subscriptions/0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c01/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01`,
      'https://management.azure.com/.default',
    );
    const vaults = (arm.body as { value: { name: string; properties: { vaultUri: string } }[] }).value;
    const uri = vaults.find((v) => v.name === 'kv-prod-payments')?.properties.vaultUri ?? '';
    let next: string | null = `${uri}secrets?api-version=${file.source.apiVersion}&maxresults=4`;
    let pages = 0;
    let firstId = '';
    while (next) {
      const { status, body } = await get(next, 'https://vault.azure.net/.default');
      expect(status).toBe(200);
      // Key Vault ends a list with `"nextLink": null`; the SDK's pager expects it (a null link is "no more").
      const { nextLink, ...rest } = body as { nextLink?: string | null; value: { id: string }[] };
      expectValid(file, 'SecretListResult', nextLink === null ? rest : body);
      firstId ||= rest.value[0]?.id ?? '';
      next = nextLink ?? null;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
    await expectListValid(spec('keyvault-certificates-7.5.json'), 'CertificateListResult', `${uri}certificates`);
    const bundle = await get(`${firstId}/?api-version=${file.source.apiVersion}`, 'https://vault.azure.net/.default');
    // Key Vault Reader may list but not read values: the 403 is Key Vault's error shape; a 200 must be a bundle.
    if (bundle.status === 200) expectValid(file, 'SecretBundle', bundle.body);
    else expect(bundle.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});
