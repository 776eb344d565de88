import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Helpers the infra tests share: read what a compiled ARM template deploys, and what the code reads. */
export interface ArmTemplate {
  readonly languageVersion?: string;
  readonly parameters: Record<string, { type: string; defaultValue?: unknown }>;
  readonly variables?: Record<string, unknown>;
  readonly resources: readonly ArmResource[];
}

interface ArmResource {
  readonly type: string;
  readonly name: string;
  readonly properties?: { template?: ArmTemplate };
}

/** The nested template Bicep emitted for a module (`module x '…' = { name: '<name>' }`). */
export function moduleTemplate(template: ArmTemplate, name: string): ArmTemplate {
  const nested = template.resources.find((r) => r.type === 'Microsoft.Resources/deployments' && r.name === name);
  if (nested?.properties?.template === undefined) throw new Error(`no module deployment named ${name}`);
  return nested.properties.template;
}

/** A variable's value, following Bicep's `[variables('$fxv#0')]` indirection for loadJsonContent. */
export function variable(template: ArmTemplate, name: string): unknown {
  const value = template.variables?.[name];
  const match = typeof value === 'string' ? /^\[variables\('([^']+)'\)\]$/.exec(value) : null;
  return match?.[1] !== undefined ? template.variables?.[match[1]] : value;
}

/** Setting names an ARM expression creates with createObject('NAME', …). */
export function createdObjectKeys(expression: unknown): string[] {
  if (typeof expression !== 'string') return [];
  return [...expression.matchAll(/createObject\('([^']+)'/g)].map((m) => m[1] ?? '');
}

/** Every string literal in an ARM expression such as createArray('a', 'b'). */
export function quotedStrings(expression: unknown): string[] {
  if (typeof expression !== 'string') return [];
  return [...expression.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
}

function tsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const READS = [
  /readAppSetting\(\s*['"`]([A-Za-z0-9_]+)['"`]/g,
  /process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
  /process\.env\[\s*['"`]([A-Za-z0-9_]+)['"`]\s*\]/g,
];

/** App setting names production code reads literally, with the files reading each. */
export function settingsReadByCode(roots: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of roots.flatMap(tsFiles)) {
    const source = readFileSync(file, 'utf8');
    for (const pattern of READS) {
      for (const match of source.matchAll(pattern)) {
        const name = match[1];
        if (name === undefined) continue;
        found.set(name, [...(found.get(name) ?? []), file]);
      }
    }
  }
  return found;
}

/** Entity names production code spells out literally as `queueName: '…'` or `topicName: '…'`. */
export function entityNamesInCode(roots: readonly string[], property: 'queueName' | 'topicName'): Set<string> {
  const names = new Set<string>();
  const literal = new RegExp(`${property}:\\s*['"\`]([a-z0-9-]+)['"\`]`, 'g');
  for (const file of roots.flatMap(tsFiles)) {
    for (const match of readFileSync(file, 'utf8').matchAll(literal)) {
      if (match[1] !== undefined) names.add(match[1]);
    }
  }
  return names;
}
