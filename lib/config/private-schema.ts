// `services.<name>.private`: a service inside a VPC, reached through an API Gateway VPC link (NLB on REST; listener or Cloud Map on HTTP).
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { z } from 'zod';
import { ARN_PREFIX, orToken } from './tokens';

/** The parts of a literal ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ArnParts {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const m = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  return m ? { service: m[1]!, region: m[2]!, account: m[3]!, resource: m[4]! } : undefined;
}

/** `loadbalancer/net/<name>/<id>` (an NLB), `loadbalancer/app/...` (an ALB). */
const LOAD_BALANCER = /^loadbalancer\/(net|app)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
/** `listener/<app|net>/<lb name>/<lb id>/<listener id>`. */
const LISTENER = /^listener\/(net|app)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+\/[0-9a-f]+$/;
/** `service/srv-<id>`. */
const CLOUD_MAP_SERVICE = /^service\/srv-[a-z0-9]+$/;

const ELB_EXAMPLE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012';

/** Why a literal `nlb` value is not an NLB's ARN (undefined when it is). */
export function nlbArnProblem(arn: string): string | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'elasticloadbalancing') {
    return `nlb is a Network Load Balancer's ARN (service elasticloadbalancing), e.g. ${ELB_EXAMPLE}:loadbalancer/net/orders/50dc6c495c0c9188${parts ? `; this ARN is of service ${parts.service}` : ''}`;
  }
  const kind = LOAD_BALANCER.exec(parts.resource)?.[1];
  if (kind === 'app')
    return "this is an Application Load Balancer: VPC links reach ALBs only from HTTP APIs, through a listener: give private.listener (the ALB listener's ARN) and flavor: http";
  if (kind !== 'net')
    return `nlb is a load balancer ARN ending in loadbalancer/net/<name>/<id>, e.g. ${ELB_EXAMPLE}:loadbalancer/net/orders/50dc6c495c0c9188`;
  return undefined;
}

/** Why a literal `listener` value is not an ALB or NLB listener's ARN. */
export function listenerArnProblem(arn: string): string | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'elasticloadbalancing' || !LISTENER.test(parts.resource)) {
    const hint =
      parts?.service === 'elasticloadbalancing' && LOAD_BALANCER.test(parts.resource)
        ? " (this is the load balancer's ARN, not one of its listeners')"
        : '';
    return `listener is an ALB or NLB listener's ARN, e.g. ${ELB_EXAMPLE}:listener/app/orders/50dc6c495c0c9188/f2f7dc8efc522ab2${hint}`;
  }
  return undefined;
}

/** Why a literal `cloudMap` value is not a Cloud Map service's ARN. */
export function cloudMapArnProblem(arn: string): string | undefined {
  const parts = parseArn(arn);
  if (!parts || parts.service !== 'servicediscovery' || !CLOUD_MAP_SERVICE.test(parts.resource)) {
    return `cloudMap is a Cloud Map service's ARN (service servicediscovery), e.g. arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-e4anhexample0004${parts && parts.service !== 'servicediscovery' ? `; this ARN is of service ${parts.service}` : ''}`;
  }
  return undefined;
}

function arn(problem: (arn: string) => string | undefined) {
  return orToken(
    z.string().superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: 'custom', message });
    }),
    ARN_PREFIX,
  );
}

/**
 * A field a config file gives as a string and a TypeScript spec may also give as the construct: the construct is
 * turned into its id or ARN (a token), then checked like the string.
 */
function stringOrConstruct<T>(
  literal: z.ZodType<string, string>,
  isConstruct: (v: object) => boolean,
  toString: (c: T) => string,
  what: string,
) {
  return z.union(
    [
      literal,
      z
        .custom<T>((v) => typeof v === 'object' && v !== null && isConstruct(v))
        .transform((c) => toString(c))
        .pipe(literal),
    ],
    {
      error: `${what} (a TypeScript spec may give the construct itself)`,
    },
  );
}

const nlbField = stringOrConstruct<elbv2.INetworkLoadBalancer>(
  arn(nlbArnProblem),
  (v) => typeof (v as elbv2.INetworkLoadBalancer).loadBalancerArn === 'string',
  // An ALB construct's ARN is a token whose kind synth cannot read: its class tells, and an ALB-shaped ARN in its place
  // gets the same error as a literal ALB ARN.
  (lb) =>
    lb instanceof elbv2.ApplicationLoadBalancer
      ? `${ELB_EXAMPLE}:loadbalancer/app/${lb.node.id.replace(/[^A-Za-z0-9-]/g, '').slice(0, 32) || 'alb'}/0`
      : lb.loadBalancerArn,
  'nlb is a Network Load Balancer ARN, or an elbv2.INetworkLoadBalancer',
);

const listenerField = stringOrConstruct<elbv2.IApplicationListener | elbv2.INetworkListener>(
  arn(listenerArnProblem),
  (v) => typeof (v as elbv2.IListener).listenerArn === 'string',
  (l) => l.listenerArn,
  'listener is an ALB or NLB listener ARN, or an elbv2.IApplicationListener / INetworkListener',
);

const cloudMapField = stringOrConstruct<servicediscovery.IService>(
  arn(cloudMapArnProblem),
  (v) => typeof (v as servicediscovery.IService).serviceArn === 'string',
  (s) => s.serviceArn,
  'cloudMap is a Cloud Map service ARN, or a servicediscovery.IService',
);

const subnetField = stringOrConstruct<ec2.ISubnet>(
  orToken(z.string().regex(/^subnet-[0-9a-f]+$/, 'a subnet id looks like subnet-0123456789abcdef0')),
  (v) => typeof (v as ec2.ISubnet).subnetId === 'string',
  (s) => s.subnetId,
  'a subnet is a subnet id, or an ec2.ISubnet',
);

const securityGroupField = stringOrConstruct<ec2.ISecurityGroup>(
  orToken(z.string().regex(/^sg-[0-9a-f]+$/, 'a security group id looks like sg-0123456789abcdef0')),
  (v) => typeof (v as ec2.ISecurityGroup).securityGroupId === 'string',
  (g) => g.securityGroupId,
  'a security group is a security group id, or an ec2.ISecurityGroup',
);

const TARGET_KINDS = ['nlb', 'listener', 'cloudMap'] as const;

export const privateSchema = z
  .strictObject({
    /** A Network Load Balancer's ARN (REST APIs: an AWS::ApiGateway::VpcLink targets it). */
    nlb: nlbField.optional(),
    /** HTTP APIs: an ALB or NLB listener's ARN, the private integration's target. */
    listener: listenerField.optional(),
    /** HTTP APIs: a Cloud Map service's ARN, the private integration's target. */
    cloudMap: cloudMapField.optional(),
    /** An existing VPC link's id to reuse instead of creating one (a REST link for nlb, an HTTP link for listener/cloudMap). */
    vpcLink: orToken(z.string().regex(/^[a-z0-9]{1,32}$/, 'a VPC link id is lower-case letters and digits, e.g. gim7c3')).optional(),
    /** Subnets of the HTTP API's VPC link (and of the proxy Lambda, when the service's routes need it). */
    subnets: z.array(subnetField).min(1, 'list at least one subnet, or leave subnets out').optional(),
    /** Security groups of the HTTP API's VPC link (and of the proxy Lambda). */
    securityGroups: z.array(securityGroupField).min(1, 'list at least one security group, or leave securityGroups out').optional(),
  })
  .superRefine((p, ctx) => {
    const given = TARGET_KINDS.filter((k) => p[k] !== undefined);
    if (given.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'name the service behind the VPC link: nlb (REST and HTTP APIs; HTTP APIs also need its listener), listener (HTTP APIs: an ALB or NLB listener) or cloudMap (HTTP APIs: a Cloud Map service)',
      });
    }
    // nlb + listener is the one pair that makes sense: the NLB for REST gateways, its listener for HTTP ones.
    if (p.cloudMap !== undefined && given.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['cloudMap'],
        message: `give either cloudMap or ${given.filter((k) => k !== 'cloudMap').join('/')}, not both: a service is one target behind the link`,
      });
    }
    if (p.nlb !== undefined && p.listener !== undefined && /:listener\/app\//.test(p.listener)) {
      ctx.addIssue({
        code: 'custom',
        path: ['listener'],
        message:
          "with nlb, listener is one of that NLB's listeners (listener/net/...); an ALB listener is a different target: drop nlb, or give the NLB's listener",
      });
    }
    if (p.vpcLink !== undefined) {
      for (const field of ['subnets', 'securityGroups'] as const) {
        if (p[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `${field} are the settings of a VPC link created here; with vpcLink the existing link keeps its own: remove ${field}, or vpcLink`,
          });
      }
    }
  });

export type PrivateSpec = z.output<typeof privateSchema>;
export type PrivateTargetKind = (typeof TARGET_KINDS)[number];
