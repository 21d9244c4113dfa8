// IAM policy evaluation for what API Gateway checks itself: an authorizer's policy and the REST resource policy.
// Doc: "How a resource policy affects authorization workflow" and "Output from an API Gateway Lambda authorizer":
// an explicit Deny wins over any Allow; no matching Allow is an implicit deny.
import { BlockList, isIPv4 } from 'node:net';

export type PolicyDecision = 'allow' | 'deny' | 'implicit-deny';

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyRequest {
  readonly action: string;
  readonly resource: string;
  readonly sourceIp?: string;
}

export function evaluatePolicy(document: unknown, request: PolicyRequest): PolicyDecision {
  const raw = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
  const statements = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  let allowed = false;
  for (const s of statements) {
    if (!applies(s, request)) continue;
    if (String(s.Effect).toLowerCase() === 'deny') return 'deny';
    if (String(s.Effect).toLowerCase() === 'allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function applies(s: Statement, r: PolicyRequest): boolean {
  if (s.Action !== undefined && !list(s.Action).some((p) => wildcard(p, r.action, true))) return false;
  if (s.NotAction !== undefined && list(s.NotAction).some((p) => wildcard(p, r.action, true))) return false;
  if (s.Resource !== undefined && !list(s.Resource).some((p) => wildcard(p, r.resource))) return false;
  if (s.NotResource !== undefined && list(s.NotResource).some((p) => wildcard(p, r.resource))) return false;
  return conditionsHold(s.Condition, r);
}

/** The conditions resource policies use: aws:SourceIp (IpAddress / NotIpAddress); any other operator is not evaluated and does not apply. */
function conditionsHold(condition: Statement['Condition'], r: PolicyRequest): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== 'aws:sourceip') return false;
      const inRange = r.sourceIp !== undefined && ipIn(r.sourceIp, list(values));
      if (operator === 'IpAddress' && !inRange) return false;
      if (operator === 'NotIpAddress' && inRange) return false;
      if (operator !== 'IpAddress' && operator !== 'NotIpAddress') return false;
    }
  }
  return true;
}

function ipIn(ip: string, cidrs: readonly string[]): boolean {
  const family = isIPv4(ip) ? 'ipv4' : 'ipv6';
  const block = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const cidrFamily = isIPv4(address!) ? 'ipv4' : 'ipv6';
    if (cidrFamily !== family) continue;
    if (bits === undefined) block.addAddress(address!, cidrFamily);
    else block.addSubnet(address!, Number(bits), cidrFamily);
  }
  return block.check(ip, family);
}

function list(v: string | string[]): string[] {
  return Array.isArray(v) ? v : [v];
}

/** IAM wildcards: `*` any run of characters, `?` one character; actions compare case-insensitively. */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}
