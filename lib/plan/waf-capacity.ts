// WAF capacity (WCU) of each rule Gatehouse writes, and the managed rule group behind each preset.
//
// Rule statement costs: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-match.html
// (geo match 1, IP set 1, size constraint 1, string match "contains" 10 and "exactly" 2, regex pattern set 25,
// +10 per text transformation; rate-based 2 plus any scope-down; logical statements cost their nested statements).
// Managed group capacities: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
import type { ManagedRulePreset } from '../config/edge-schema';

export const WCU = {
  geoMatch: 1,
  ipSet: 1,
  sizeConstraint: 1,
  stringExactly: 2,
  stringContains: 10,
  regexPatternSet: 25,
  textTransformation: 10,
  rateBased: 2,
} as const;

export interface ManagedGroup {
  readonly vendor: 'AWS';
  readonly group: string;
  readonly wcu: number;
  /** Said in explain and README: what the group costs beyond the web ACL. */
  readonly note?: string;
}

export const MANAGED_GROUPS: Readonly<Record<ManagedRulePreset, ManagedGroup>> = {
  ipReputation: { vendor: 'AWS', group: 'AWSManagedRulesAmazonIpReputationList', wcu: 25 },
  anonymousIp: { vendor: 'AWS', group: 'AWSManagedRulesAnonymousIpList', wcu: 50 },
  common: { vendor: 'AWS', group: 'AWSManagedRulesCommonRuleSet', wcu: 700 },
  knownBadInputs: { vendor: 'AWS', group: 'AWSManagedRulesKnownBadInputsRuleSet', wcu: 200 },
  sqli: { vendor: 'AWS', group: 'AWSManagedRulesSQLiRuleSet', wcu: 200 },
  linux: { vendor: 'AWS', group: 'AWSManagedRulesLinuxRuleSet', wcu: 200 },
  unix: { vendor: 'AWS', group: 'AWSManagedRulesUnixRuleSet', wcu: 100 },
  adminProtection: { vendor: 'AWS', group: 'AWSManagedRulesAdminProtectionRuleSet', wcu: 100 },
  botControl: {
    vendor: 'AWS',
    group: 'AWSManagedRulesBotControlRuleSet',
    wcu: 50,
    note: 'Bot Control is billed per request inspected on top of the web ACL (AWS WAF pricing, "Bot Control")',
  },
};

/** Evaluation order: cheap reputation lists first, Bot Control (billed per inspected request) last. */
export const MANAGED_ORDER: readonly ManagedRulePreset[] = [
  'ipReputation',
  'anonymousIp',
  'common',
  'knownBadInputs',
  'sqli',
  'linux',
  'unix',
  'adminProtection',
  'botControl',
];

/** IP-set statements for a list split into its IPv4 and IPv6 sets (one set each; OR-ed when both exist). */
export function ipListWcu(ipv4: readonly string[], ipv6: readonly string[]): number {
  return (ipv4.length ? WCU.ipSet : 0) + (ipv6.length ? WCU.ipSet : 0);
}

/** User-Agent deny: each string a lower-cased "contains" match, all regexes in one pattern set. */
export function userAgentWcu(contains: readonly string[], regex: readonly string[]): number {
  return contains.length * (WCU.stringContains + WCU.textTransformation) + (regex.length ? WCU.regexPatternSet : 0);
}
