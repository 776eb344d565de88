import type { TableEntity } from '@azure/data-tables';

const SYSTEM_KEYS = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp']);

/**
 * The Table Storage row of a scan-side record (scan, progress, estate): flat properties, the named fields as JSON
 * text, nulls left out. `emptyIsDefault` reads an empty string as the field's default (how the estate clears a field
 * with a Merge, which cannot remove a property).
 */
export function scanEntityCodec(jsonFields: readonly string[], options: { emptyIsDefault?: boolean } = {}) {
  const json = new Set(jsonFields);
  return {
    toEntity(pk: string, rk: string, value: object): TableEntity<Record<string, unknown>> {
      const e: TableEntity<Record<string, unknown>> = { partitionKey: pk, rowKey: rk };
      for (const [k, v] of Object.entries(value)) {
        if (v !== null && v !== undefined) e[k] = json.has(k) ? JSON.stringify(v) : v;
      }
      return e;
    },
    fromEntity<T>(e: Record<string, unknown>, defaults: Partial<T>): T {
      const out: Record<string, unknown> = { ...defaults };
      for (const [k, v] of Object.entries(e)) {
        if (SYSTEM_KEYS.has(k) || k.startsWith('odata')) continue;
        if (options.emptyIsDefault && v === '') continue;
        out[k] = json.has(k) && typeof v === 'string' ? JSON.parse(v) : v;
      }
      return out as T;
    },
  };
}
