import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { diagnostics, findBicep, GET_BICEP_HINT, runBicep } from '../../infra/bicep-cli';
import { assertLanguageVersion1, packageMarketplace, PACKAGE_URI_PLACEHOLDER } from '../../infra/package-marketplace';
import { moduleTemplate, variable, type ArmTemplate } from './infra-template';

// The real Bicep CLI takes several seconds per build on a shared 2-core machine.
jest.setTimeout(180_000);

const root = join(__dirname, '..', '..');
const mainBicep = join(root, 'azuredeploy.bicep');
const createUi = JSON.parse(readFileSync(join(root, 'infra', 'marketplace', 'createUiDefinition.json'), 'utf8')) as {
  parameters: {
    basics: { name: string }[];
    steps: { name: string; elements: { name: string }[] }[];
    outputs: Record<string, unknown>;
  };
};

/** Every entry of a zip, name → content, read with yauzl. */
async function unzip(buffer: Buffer): Promise<Map<string, string>> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    fromBuffer(buffer, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const files = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}

describe('createUiDefinition.json', () => {
  it('reads its outputs only from elements it defines', () => {
    const elements = new Set([
      ...createUi.parameters.basics.map((e) => `basics('${e.name}')`),
      ...createUi.parameters.steps.flatMap((s) => s.elements.map((e) => `steps('${s.name}').${e.name}`)),
    ]);
    const references = Object.values(createUi.parameters.outputs)
      .filter((v): v is string => typeof v === 'string')
      .flatMap((v) => [...v.matchAll(/(basics\('[^']+'\)|steps\('[^']+'\)\.[A-Za-z0-9]+)/g)].map((m) => m[1] ?? ''));
    expect(references.length).toBeGreaterThan(5);
    expect(references.filter((r) => !elements.has(r))).toEqual([]);
  });
});

const bicep = findBicep();
if (bicep === undefined)
  console.warn(`Skipping the Bicep build, lint and Marketplace package tests. ${GET_BICEP_HINT}`);
const withBicep = bicep === undefined ? describe.skip : describe;

withBicep('azuredeploy.bicep with the real Bicep CLI', () => {
  it('builds with no error and no warning', () => {
    const run = runBicep(bicep ?? '', ['build', mainBicep, '--stdout']);
    expect({ status: run.status, diagnostics: diagnostics(run) }).toEqual({ status: 0, diagnostics: [] });
  });

  it('lints with no error and no warning (the main file and every module it uses)', () => {
    const run = runBicep(bicep ?? '', ['lint', mainBicep]);
    expect({ status: run.status, diagnostics: diagnostics(run) }).toEqual({ status: 0, diagnostics: [] });
  });

  it('reports a warning when there is one (so "no warning" above means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-bicep-'));
    try {
      const file = join(dir, 'unused.bicep');
      writeFileSync(file, "param unused string = 'x'\n");
      expect(diagnostics(runBicep(bicep ?? '', ['lint', file])).join('\n')).toMatch(/no-unused-params/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

withBicep('npm run package:marketplace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-marketplace-'));
  const packageUri = 'https://packages.example.test/keyward/keyward-1.2.3.zip';
  let files: Map<string, string>;
  let mainTemplate: ArmTemplate;
  let uiOutputs: Record<string, unknown>;

  beforeAll(async () => {
    const zip = await packageMarketplace({ packageUri, outFile: join(dir, 'app.zip'), bicepPath: bicep ?? '' });
    files = await unzip(readFileSync(zip));
    mainTemplate = JSON.parse(files.get('mainTemplate.json') ?? '{}') as ArmTemplate;
    uiOutputs = (JSON.parse(files.get('createUiDefinition.json') ?? '{}') as typeof createUi).parameters.outputs;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('zips mainTemplate.json, createUiDefinition.json and viewDefinition.json at the root, nothing else', () => {
    expect([...files.keys()].sort()).toEqual(['createUiDefinition.json', 'mainTemplate.json', 'viewDefinition.json']);
  });

  it('compiles to an ARM template of languageVersion 1.0 (managed applications reject 2.0)', () => {
    expect(mainTemplate.languageVersion ?? '1.0').toBe('1.0');
    expect(Object.keys(mainTemplate.parameters).length).toBeGreaterThan(5);
    expect(() => assertLanguageVersion1({ languageVersion: '2.0' })).toThrow(/languageVersion 2.0/);
  });

  it('maps every createUiDefinition output to a mainTemplate parameter', () => {
    expect(Object.keys(uiOutputs).filter((name) => !(name in mainTemplate.parameters))).toEqual([]);
  });

  it('gives every mainTemplate parameter a createUiDefinition output', () => {
    expect(Object.keys(mainTemplate.parameters).filter((name) => !(name in uiOutputs))).toEqual([]);
  });

  it('configures EasyAuth globalValidation from infra/authsettings.json, the file the local emulation reads', () => {
    const authFile = JSON.parse(readFileSync(join(root, 'infra', 'authsettings.json'), 'utf8')) as object;
    // EasyAuth is a module of the Function App module (it deploys between the site and the app settings).
    const easyAuth = moduleTemplate(moduleTemplate(mainTemplate, 'function-app'), 'easyauth');
    expect(variable(easyAuth, 'globalValidation')).toEqual(authFile);
  });

  it('fills in the versioned package URL', () => {
    expect(uiOutputs['packageUri']).toBe(packageUri);
    expect(files.get('createUiDefinition.json')).not.toContain(PACKAGE_URI_PLACEHOLDER);
  });

  it('refuses a package URL that is not https', async () => {
    await expect(
      packageMarketplace({ packageUri: 'http://x.test/a.zip', outFile: join(dir, 'b.zip'), bicepPath: bicep ?? '' }),
    ).rejects.toThrow(/https/);
  });
});
