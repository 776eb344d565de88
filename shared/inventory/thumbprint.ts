/**
 * The one stored form of a certificate thumbprint: SHA-1 in upper-case hex without separators, as the Azure portal
 * shows it. The list answer's `x5t` (which the SDK turns into lower-case hex) and a fingerprint of the `cer`
 * (colon-separated upper case) are the same bytes; storing either as it comes made an unchanged certificate look
 * changed from one scan to the next.
 */
export function canonicalThumbprint(value: string | null | undefined): string | null {
  if (!value) return null;
  const hex = value.replace(/[:\s]/g, '').toUpperCase();
  return /^[0-9A-F]{40}$/.test(hex) ? hex : null;
}
