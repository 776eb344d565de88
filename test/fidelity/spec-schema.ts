import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';

/**
 * The checked-in specification excerpts (specs/*.json, each with its source repository, path, commit and
 * api-version) and the one mechanism that validates a response against them: find the operation a request was by
 * its method and path template, then validate the body against the operation's response definition, every object
 * closed (a field the specification does not define is a simulator invention and fails).
 */
export interface SpecFile {
  readonly file: string;
  readonly source: { repository: string; path: string; commit: string; apiVersion: string };
  readonly operations: Record<string, { method: string; path: string; response: string | null }>;
  readonly definitions: Record<string, Record<string, unknown>>;
  /** An item of the operation's example response (x-ms-examples), where one was checked in. */
  readonly examples?: Record<string, { item: Record<string, unknown> }>;
}

export interface SpecOperation {
  readonly id: string;
  readonly spec: SpecFile;
  readonly method: string;
  readonly response: string | null;
  readonly pattern: RegExp;
  /** Literal characters of the path template: the most specific template wins (`/keys/{n}/rotationpolicy`). */
  readonly specificity: number;
}

const SPECS_DIR = join(__dirname, 'specs');

export function loadSpecs(): SpecFile[] {
  return readdirSync(SPECS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(SPECS_DIR, file), 'utf8')) as Omit<SpecFile, 'file'>) }));
}

/** A path template as a regular expression: `{resourceUri}` spans segments; other parameters one (possibly empty). */
function templatePattern(path: string): RegExp {
  const escaped = path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (part === '{resourceUri}') return '.+';
      if (/^\{[^}]+\}$/.test(part)) return '[^/]*';
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${escaped}/?$`, 'i');
}

export function operationsOf(specs: readonly SpecFile[]): SpecOperation[] {
  return specs.flatMap((spec) =>
    Object.entries(spec.operations).map(([id, op]) => ({
      id,
      spec,
      method: op.method,
      response: op.response,
      pattern: templatePattern(op.path),
      specificity: op.path.replace(/\{[^}]+\}/g, '').length,
    })),
  );
}

/** The operation a request was, or null when no checked-in specification defines it. */
export function classify(ops: readonly SpecOperation[], method: string, pathname: string): SpecOperation | null {
  const matches = ops.filter((op) => op.method === method && op.pattern.test(pathname));
  return matches.sort((a, b) => b.specificity - a.specificity)[0] ?? null;
}

/**
 * Definitions closed: an object's `allOf` parents are merged into its own properties (JSON Schema's
 * additionalProperties does not see through allOf), then every object with properties refuses others.
 */
function closed(definitions: SpecFile['definitions']): SpecFile['definitions'] {
  const merged = (schema: Record<string, unknown>): Record<string, unknown> => {
    const parents = (schema.allOf as { $ref?: string }[] | undefined) ?? [];
    if (parents.length === 0 || !parents.every((p) => p.$ref)) return schema;
    const { allOf: _allOf, ...rest } = schema;
    const properties = { ...((rest.properties as object | undefined) ?? {}) };
    for (const parent of parents) {
      const name = (parent.$ref ?? '').replace('#/definitions/', '');
      Object.assign(properties, merged(definitions[name] ?? {}).properties ?? {});
    }
    return { ...rest, properties };
  };
  const close = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(close);
    if (!schema || typeof schema !== 'object') return schema;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(merged(schema as Record<string, unknown>))) out[k] = close(v);
    if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return out;
  };
  return close(definitions) as SpecFile['definitions'];
}

/** Ajv errors of `body` against `definition` of `spec` (empty when valid). */
export function schemaErrors(spec: SpecFile, definition: string, body: unknown): unknown[] {
  // Swagger 2.0 formats (unixtime, int32, base64url) are not JSON Schema formats; types and shapes are what is checked.
  const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore', logger: false });
  const validate = ajv.compile({ definitions: closed(spec.definitions), $ref: `#/definitions/${definition}` });
  return validate(body) ? [] : [...(validate.errors ?? [])];
}

/** The keys of an object and of its nested objects, as dotted paths (array items under `[]`). */
export function shape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length ? shape(value[0], `${prefix}[]`) : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...shape(v, `${prefix}${k}.`)]);
}

/**
 * The example item's keys the answer's items lack. Keys inside arrays and tags are compared only where the answer
 * has entries (an empty managedByTenants or no tags is valid).
 */
export function missingExampleKeys(spec: SpecFile, operation: string, body: unknown): string[] {
  const example = spec.examples?.[operation]?.item;
  if (!example) return [];
  const items = (body as { value?: unknown[] }).value ?? [body];
  return items.flatMap((item) => {
    const have = new Set(shape(item));
    return shape(example).filter((k) => !have.has(k) && !k.startsWith('tags.') && !k.includes('[]'));
  });
}
