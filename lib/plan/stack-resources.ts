// Stage 4, stack-wide: the VPC links the gateways share, and what the one stack holds besides the gateways (domains, state table, alarm topic, key expiry, the us-east-1 edge stack).
import type { GatehouseSpec } from '../config/schema';
import { domainResources, planDomains } from './domains';
import { CROSS_REGION_READER_RESOURCES, CROSS_REGION_WRITER_RESOURCES } from './edge';
import { ALARM_TOPIC_RESOURCES, KEY_EXPIRY_RESOURCES, STACK_OVERHEAD, STATE_TABLE_RESOURCES, usesStateTable } from './resources';
import type { ServicePlans } from './service-plan';
import type { GatewayDraft, PlanFindings } from './stage-types';
import type { Plan } from './types';
import { planVpcLinks, vpcLinkResources } from './vpc-links';

/** Resources the stack adds once when it manages the account's CloudWatch role (AWS::ApiGateway::Account + IAM role). */
const CLOUDWATCH_ROLE_RESOURCES = 2;

export interface StackResources extends Pick<Plan, 'keyExpiry' | 'stateTable' | 'sharedAlarmTopic' | 'edgeStack' | 'domains' | 'vpcLinks'> {
  /** The gateways with their private routes linked. */
  readonly drafts: GatewayDraft[];
  /** Resources the stack holds besides the gateways' own. */
  readonly shared: number;
}

export function planStackResources(
  spec: GatehouseSpec,
  services: ServicePlans,
  unlinked: readonly GatewayDraft[],
  findings: PlanFindings,
): StackResources {
  const vpcLinks = planVpcLinks(services, unlinked);
  findings.errors.push(...vpcLinks.errors);
  const drafts = vpcLinks.drafts;
  const stateTable = drafts.some((d) => [...d.proxies, ...d.aggregators].some((fn) => usesStateTable(fn.stateUses)));
  // A CloudFront web ACL lives in us-east-1; its ARN reaches the distribution through CDK's cross-region export.
  const edgeGateways = drafts.filter((d) => d.edge?.cloudfront?.webAcl);
  const edgeStack = edgeGateways.length
    ? {
        region: 'us-east-1' as const,
        resources: STACK_OVERHEAD + CROSS_REGION_WRITER_RESOURCES + edgeGateways.reduce((n, d) => n + d.edge!.edgeStackResources, 0),
      }
    : undefined;

  // One stack holds every gateway: routes cost no resources, so nothing is split into nested stacks.
  const keyExpiry =
    spec.account.keyExpiry.enabled && Object.values(spec.gateways).some((g) => Object.keys(g.plans).length > 0)
      ? { warningDays: spec.account.keyExpiry.warningDays }
      : undefined;
  const sharedAlarmTopic =
    Object.values(spec.gateways).some((g) => g.observability.alarms.enabled && !g.observability.alarmTopicArn) || keyExpiry !== undefined;
  const domains = planDomains(spec);
  const shared =
    STACK_OVERHEAD +
    domainResources(domains) +
    vpcLinkResources(vpcLinks.links) +
    (spec.account.manageCloudWatchRole ? CLOUDWATCH_ROLE_RESOURCES : 0) +
    (sharedAlarmTopic ? ALARM_TOPIC_RESOURCES : 0) +
    (keyExpiry ? KEY_EXPIRY_RESOURCES : 0) +
    (stateTable ? STATE_TABLE_RESOURCES : 0) +
    (edgeStack ? CROSS_REGION_READER_RESOURCES : 0);
  return { drafts, shared, keyExpiry, stateTable, sharedAlarmTopic, edgeStack, domains, vpcLinks: vpcLinks.links };
}
