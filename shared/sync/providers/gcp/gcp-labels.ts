import { ownershipTags, type Ownership } from '../sync-provider';

/** A value as a GCP label allows it: lower case letters, digits, `_` and `-`, at most 63 characters. */
export const labelValue = (value: string): string =>
  value
    .toLowerCase()
    .replace(/[^\p{Ll}\p{Lo}\p{N}_-]/gu, '_')
    .slice(0, 63);

/** Keyward's ownership tags as GCP labels (keys are already valid; values are folded to the label alphabet). */
export function ownershipLabels(ownership: Ownership): Record<string, string> {
  return Object.fromEntries(Object.entries(ownershipTags(ownership)).map(([k, v]) => [k, labelValue(v)]));
}
