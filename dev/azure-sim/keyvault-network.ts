import { BlockList, isIPv4 } from 'node:net';
import type { SimTokenClaims } from './sim-auth';
import { apiError, type SimResponse } from './sim-http';
import type { VaultSpec } from './tenant-schema';

/** A vault's network rules as ARM shows them (`publicNetworkAccess`, `networkAcls`). */
export interface VaultNetwork {
  readonly publicNetworkAccess: 'Enabled' | 'Disabled';
  readonly defaultAction: 'Allow' | 'Deny';
  /** Addresses or CIDR ranges let through a default-deny. */
  readonly ipRules: readonly string[];
}

/** The vault's rules: `network` when given; `firewalled: true` is shorthand for a default-deny with no rules. */
export function vaultNetwork(spec: VaultSpec): VaultNetwork {
  if (spec.network) return spec.network;
  return { publicNetworkAccess: 'Enabled', defaultAction: spec.firewalled ? 'Deny' : 'Allow', ipRules: [] };
}

/** Whether an IPv4 rule (`a.b.c.d` or `a.b.c.d/n`, as Key Vault accepts them) covers the address. */
function ruleCovers(rule: string, address: string): boolean {
  const [ip = '', bits] = rule.split('/');
  if (!isIPv4(ip) || !isIPv4(address)) return false;
  const list = new BlockList();
  list.addSubnet(ip, bits === undefined ? 32 : Number(bits), 'ipv4');
  return list.check(address, 'ipv4');
}

/**
 * Key Vault's network check, before its permission check: public access disabled refuses every public caller
 * (403 ForbiddenByConnection), a default-deny refuses addresses no IP rule names (403 ForbiddenByFirewall), and a
 * caller an IP rule names passes. The texts are those Azure returns (seen in public issue reports, e.g.
 * microsoft/multimodal-ai#171 and microsoft/AzureTRE#3789). Answers null when the caller may go on.
 */
export function checkVaultNetwork(spec: VaultSpec, claims: SimTokenClaims, clientAddress: string): SimResponse | null {
  const network = vaultNetwork(spec);
  const caller = `appid=${claims.appid};oid=${claims.oid};iss=${claims.iss}`;
  const where = `${spec.name};location=${spec.location}`;
  if (network.publicNetworkAccess === 'Disabled') {
    return apiError(
      403,
      'Forbidden',
      `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\nCaller: ${caller}\r\nVault: ${where}`,
      'ForbiddenByConnection',
    );
  }
  if (network.defaultAction === 'Deny' && !network.ipRules.some((r) => ruleCovers(r, clientAddress))) {
    return apiError(
      403,
      'Forbidden',
      `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${clientAddress}\r\nCaller: ${caller}\r\nVault: ${where}`,
      'ForbiddenByFirewall',
    );
  }
  return null;
}
