import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ZipFile } from 'yazl';
import { buildTemplate, findBicep, GET_BICEP_HINT } from './bicep-cli';
import { repoRoot } from './repo-root';

/**
 * `npm run package:marketplace -- --package-uri <https URL of the app zip> [--out <zip>]`: compiles
 * azuredeploy.bicep with the real Bicep CLI to mainTemplate.json and zips it with createUiDefinition.json and
 * viewDefinition.json at the zip's root, as the Marketplace requires. yazl writes the zip: small, no native
 * parts, streams, and its sibling yauzl lets the tests open the result.
 */
export const PACKAGE_URI_PLACEHOLDER = '__KEYWARD_PACKAGE_URI__';

export interface PackageOptions {
  /** Versioned URL of the Function App package the installation runs; written into createUiDefinition's outputs. */
  readonly packageUri: string;
  /** Where the zip goes; mainTemplate.json is written beside it too, for inspection. */
  readonly outFile: string;
  readonly bicepPath: string;
}

/** Managed applications reject languageVersion 2.0 templates; 1.0 is the default (no languageVersion field). */
export function assertLanguageVersion1(template: { languageVersion?: unknown }): void {
  const version = template.languageVersion;
  if (version !== undefined && version !== '1.0') {
    throw new Error(`mainTemplate.json has languageVersion ${String(version)}; managed applications need 1.0`);
  }
}

export function withPackageUri(createUiDefinition: string, packageUri: string): string {
  if (!/^https:\/\/[^\s"]+$/.test(packageUri)) throw new Error(`--package-uri must be an https URL`);
  if (!createUiDefinition.includes(`"${PACKAGE_URI_PLACEHOLDER}"`)) {
    throw new Error(`createUiDefinition.json has no "${PACKAGE_URI_PLACEHOLDER}" output to fill`);
  }
  return createUiDefinition.replace(`"${PACKAGE_URI_PLACEHOLDER}"`, JSON.stringify(packageUri));
}

export async function packageMarketplace(options: PackageOptions): Promise<string> {
  const root = repoRoot();
  const marketplaceDir = join(root, 'infra', 'marketplace');
  const createUi = withPackageUri(
    readFileSync(join(marketplaceDir, 'createUiDefinition.json'), 'utf8'),
    options.packageUri,
  );
  const view = readFileSync(join(marketplaceDir, 'viewDefinition.json'));
  const mainTemplate = buildTemplate(options.bicepPath, join(root, 'azuredeploy.bicep'));
  assertLanguageVersion1(JSON.parse(mainTemplate) as { languageVersion?: unknown });

  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(join(dirname(options.outFile), 'mainTemplate.json'), mainTemplate);
  const zip = new ZipFile();
  // A fixed mtime keeps the zip identical for identical inputs.
  const entry = { mtime: new Date(Date.UTC(2020, 0, 1)) };
  zip.addBuffer(Buffer.from(mainTemplate), 'mainTemplate.json', entry);
  zip.addBuffer(Buffer.from(createUi), 'createUiDefinition.json', entry);
  zip.addBuffer(view, 'viewDefinition.json', entry);
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(options.outFile);
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(out);
  });
  return options.outFile;
}

function argument(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const packageUri = argument(args, '--package-uri') ?? process.env['KEYWARD_PACKAGE_URI'];
  if (packageUri === undefined) throw new Error('usage: npm run package:marketplace -- --package-uri <https URL>');
  const bicepPath = findBicep();
  if (bicepPath === undefined) throw new Error(GET_BICEP_HINT);
  const outFile = argument(args, '--out') ?? join(repoRoot(), 'dist', 'marketplace', 'keyward-marketplace.zip');
  console.log(`wrote ${await packageMarketplace({ packageUri, outFile, bicepPath })}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
