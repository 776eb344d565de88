import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an outbound URL was refused. The URL itself is never part of the message (it is a secret). */
export type RefusalReason =
  | 'invalid_url'
  | 'scheme_not_allowed'
  | 'credentials_in_url'
  | 'unresolvable_host'
  | 'metadata_address'
  | 'loopback_address'
  | 'private_address'
  | 'link_local_address'
  | 'non_public_address';

export class UrlRefusedError extends Error {
  constructor(readonly reason: RefusalReason) {
    super(`Outbound URL refused: ${reason.replace(/_/g, ' ')}`);
    this.name = 'UrlRefusedError';
  }
}

export interface UrlPolicy {
  /** KEYWARD_LOCAL_MODE: http is allowed, and only to loopback (the local sink and receiver). */
  readonly localMode: boolean;
}

/** `dns.lookup` with `all: true`; injectable so tests can make a name resolve to any address. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * Cloud metadata and host endpoints, named so the refusal says what it protects: Azure IMDS and AWS's
 * 169.254.169.254 (also covered as link-local), AWS's IPv6 IMDS fd00:ec2::254 (also a ULA), and Azure's
 * WireServer 168.63.129.16, a public address that must still never be called from the app.
 */
const metadataAddresses = new Set(['169.254.169.254', 'fd00:ec2::254', '168.63.129.16']);

/**
 * Classifies one resolved address. Only globally routable unicast passes: loopback, RFC 1918, CGNAT, IPv6 ULA,
 * link-local, unspecified, multicast, documentation, NAT64/6to4/Teredo and the rest of the special ranges are
 * refused. IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
 */
export function checkAddress(address: string, policy: UrlPolicy): void {
  if (!ipaddr.isValid(address)) throw new UrlRefusedError('unresolvable_host');
  const ip = ipaddr.process(address);
  // toString() is the compact form (fd00:ec2::254), whatever spelling the resolver returned.
  if (metadataAddresses.has(ip.toString())) throw new UrlRefusedError('metadata_address');
  const range = ip.range();
  if (range === 'loopback') {
    if (policy.localMode) return;
    throw new UrlRefusedError('loopback_address');
  }
  if (range === 'private' || range === 'uniqueLocal' || range === 'carrierGradeNat') {
    throw new UrlRefusedError('private_address');
  }
  if (range === 'linkLocal') throw new UrlRefusedError('link_local_address');
  if (range !== 'unicast') throw new UrlRefusedError('non_public_address');
}

/** Checks what can be checked without the network: scheme, embedded credentials, literal addresses. */
export function checkUrlSyntax(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefusedError('invalid_url');
  }
  if (url.protocol !== 'https:' && !(policy.localMode && url.protocol === 'http:')) {
    throw new UrlRefusedError('scheme_not_allowed');
  }
  if (url.username || url.password) throw new UrlRefusedError('credentials_in_url');
  if (!url.hostname) throw new UrlRefusedError('invalid_url');
  const host = bareHost(url);
  if (isIP(host)) checkResolved(url, [{ address: host, family: isIP(host) }], policy);
  return url;
}

/** The hostname without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Every address a name resolves to must pass (a mixed answer is how rebinding hides); http only to loopback. */
export function checkResolved(url: URL, addresses: readonly LookupAddress[], policy: UrlPolicy): void {
  if (addresses.length === 0) throw new UrlRefusedError('unresolvable_host');
  for (const { address } of addresses) checkAddress(address, policy);
  if (url.protocol === 'http:' && !addresses.every(({ address }) => ipaddr.process(address).range() === 'loopback')) {
    throw new UrlRefusedError('scheme_not_allowed');
  }
}

/** The save-time check: syntax, then DNS resolution and every resolved address. */
export async function checkOutboundUrl(
  raw: string,
  policy: UrlPolicy,
  resolver: Resolver = systemResolver,
): Promise<URL> {
  const url = checkUrlSyntax(raw, policy);
  const host = bareHost(url);
  if (isIP(host)) return url;
  let addresses: readonly LookupAddress[];
  try {
    addresses = await resolver(host);
  } catch {
    throw new UrlRefusedError('unresolvable_host');
  }
  checkResolved(url, addresses, policy);
  return url;
}

/** A DNS name (letters, digits, hyphens, dots) or an IP literal, as an SMTP host field may hold. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/**
 * The same guard for a bare host (SMTP): every address it resolves to must be public unicast, loopback only in
 * local mode. Returns the checked addresses, so a caller can connect to exactly what was checked.
 */
export async function checkOutboundHost(
  raw: string,
  policy: UrlPolicy,
  resolver: Resolver = systemResolver,
): Promise<readonly LookupAddress[]> {
  const host = raw.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    checkAddress(host, policy);
    return [{ address: host, family: isIP(host) }];
  }
  if (!HOST_NAME.test(host)) throw new UrlRefusedError('invalid_url');
  let addresses: readonly LookupAddress[];
  try {
    addresses = await resolver(host);
  } catch {
    throw new UrlRefusedError('unresolvable_host');
  }
  if (addresses.length === 0) throw new UrlRefusedError('unresolvable_host');
  for (const { address } of addresses) checkAddress(address, policy);
  return addresses;
}
