// WebAcl: one planned web ACL rendered as WAFv2 resources: the ACL, its IP and regex sets, logging, and (regional) the stage association.
import { ArnFormat, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { WafRulePlan, WebAclPlan } from '../../plan/edge-types';
import { STACK_INSTANCE_ID_LENGTH, stackInstanceId } from '../unique-names';
import { invalidProps } from '../validation-error';

export interface WebAclProps {
  readonly plan: WebAclPlan;
  /** Short name used in metric names and the log group name. */
  readonly name: string;
  /** The origin-verify secret, required when the plan has an origin-verify rule. */
  readonly originVerifySecret?: secretsmanager.ISecret;
  /**
   * ARN of a regional resource (a REST API stage) to associate the ACL with. Build it from the stage's
   * Ref (Stage.stageArn does): an ARN written from the stage *name* lets CloudFormation create the
   * association before the stage exists, and the deployment fails.
   * @default - not associated (a CloudFront ACL is attached by the distribution)
   */
  readonly associateWith?: string;
}

/** Header names are matched in lower case by WAF. */
const USER_AGENT = 'user-agent';
/** Headers WAF logs must never carry: credentials and the origin-verify secret. */
const REDACTED_HEADERS = ['authorization', 'x-api-key', 'cookie', 'x-origin-verify'];

export class WebAcl extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly ipSets: wafv2.CfnIPSet[] = [];
  public readonly regexPatternSets: wafv2.CfnRegexPatternSet[] = [];
  public readonly association?: wafv2.CfnWebACLAssociation;
  public readonly logGroup?: logs.LogGroup;
  public readonly loggingConfiguration?: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const { plan } = props;
    const corsHeaders = plan.corsOrigin ? [{ name: 'Access-Control-Allow-Origin', value: plan.corsOrigin }] : undefined;
    const block = (code: 403 | 429) => ({
      block: {
        customResponse: {
          responseCode: code,
          customResponseBodyKey: code === 403 ? 'forbidden' : 'too-many-requests',
          responseHeaders: corsHeaders,
        },
      },
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: plan.scope,
      // WAF descriptions allow letters, digits, spaces and + = : # @ / - , . only.
      description: `Gatehouse ${props.name} - ${plan.reason}`
        .replace(/[^\w+=:#@/\-,.\s]/g, '')
        .slice(0, 256)
        .trim(),
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${props.name}-${plan.scope.toLowerCase()}`),
      customResponseBodies: {
        forbidden: { contentType: 'APPLICATION_JSON', content: '{"message":"Forbidden"}' },
        'too-many-requests': { contentType: 'APPLICATION_JSON', content: '{"message":"Too Many Requests"}' },
      },
      associationConfig: plan.bodyInspectionLimit
        ? {
            requestBody: {
              [plan.scope === 'CLOUDFRONT' ? 'CLOUDFRONT' : 'API_GATEWAY']: { defaultSizeInspectionLimit: plan.bodyInspectionLimit },
            },
          }
        : undefined,
      rules: plan.rules.map((rule) => this.renderRule(rule, props, block)),
    });

    if (props.associateWith) {
      this.association = new wafv2.CfnWebACLAssociation(this, 'Association', {
        resourceArn: props.associateWith,
        webAclArn: this.webAcl.attrArn,
      });
    }

    if (plan.logs) {
      const stack = Stack.of(this);
      // WAF only logs to CloudWatch log groups whose name starts with aws-waf-logs-, so the name cannot be
      // CloudFormation's. The group outlives the stack (WAF logs are evidence), so the name ends with the stack's
      // id: a group kept by a `cdk destroy` never blocks the next create. RetainExceptOnCreate drops the group of
      // a first create that rolls back instead of leaving an empty orphan.
      // https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.RemovalPolicy.html (RETAIN_ON_UPDATE_OR_DELETE, in the pinned
      // aws-cdk-lib ^2.276), https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
      const prefix = `aws-waf-logs-${stack.stackName}-${props.name}-${plan.scope.toLowerCase()}`.slice(
        0,
        512 - 1 - STACK_INSTANCE_ID_LENGTH,
      );
      this.logGroup = new logs.LogGroup(this, 'Logs', {
        logGroupName: `${prefix}-${stackInstanceId()}`,
        retention: plan.logs.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      });
      this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
        resourceArn: this.webAcl.attrArn,
        // WAF wants the log group ARN without the ":*" suffix LogGroup.logGroupArn carries; the partition stays a
        // reference so the template also deploys in aws-cn and aws-us-gov.
        logDestinationConfigs: [
          stack.formatArn({
            partition: Aws.PARTITION,
            service: 'logs',
            resource: 'log-group',
            // A Ref to the group, so CloudFormation creates the group first.
            resourceName: this.logGroup.logGroupName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
        redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
      });
    }
  }

  private renderRule(rule: WafRulePlan, props: WebAclProps, block: (code: 403 | 429) => object): wafv2.CfnWebACL.RuleProperty {
    const base = { name: rule.name, priority: rule.priority, visibilityConfig: visibility(`${props.name}-${rule.name}`) };
    switch (rule.kind) {
      case 'managed':
        return {
          ...base,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: rule.vendor, name: rule.group } },
        };
      case 'rate':
        return {
          ...base,
          action: block(429),
          statement: { rateBasedStatement: { limit: rule.limit, evaluationWindowSec: rule.windowSeconds, aggregateKeyType: 'IP' } },
        };
      case 'origin-verify': {
        if (!props.originVerifySecret)
          throw invalidProps(this, 'WebAcl: the plan has an origin-verify rule, so the originVerifySecret prop is required');
        const matches = {
          byteMatchStatement: {
            fieldToMatch: { singleHeader: { Name: rule.header.toLowerCase() } },
            positionalConstraint: 'EXACTLY',
            // A {{resolve:secretsmanager:…}} dynamic reference: the value never appears in the template.
            searchString: props.originVerifySecret.secretValue.unsafeUnwrap(),
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        };
        return { ...base, action: block(403), statement: { notStatement: { statement: matches } } };
      }
      case 'ip-deny':
        return { ...base, action: block(403), statement: this.ipStatement(rule, props) };
      case 'ip-allow':
        return { ...base, action: block(403), statement: { notStatement: { statement: this.ipStatement(rule, props) } } };
      case 'geo-block':
        return { ...base, action: block(403), statement: { geoMatchStatement: { countryCodes: [...rule.countries] } } };
      case 'body-size':
        return {
          ...base,
          action: block(403),
          statement: {
            sizeConstraintStatement: {
              // A body beyond WAF's inspection limit is "oversize": MATCH blocks it rather than judging a truncated body.
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: rule.maxBytes,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        };
      case 'user-agent-deny': {
        const statements: wafv2.CfnWebACL.StatementProperty[] = rule.contains.map((value) => ({
          byteMatchStatement: {
            fieldToMatch: { singleHeader: { Name: USER_AGENT } },
            positionalConstraint: 'CONTAINS',
            searchString: value,
            textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
          },
        }));
        if (rule.regex.length) {
          const set = new wafv2.CfnRegexPatternSet(this, 'UserAgentPatterns', {
            scope: props.plan.scope,
            description: `Gatehouse ${props.name}: denied User-Agent patterns`,
            regularExpressionList: [...rule.regex],
          });
          this.regexPatternSets.push(set);
          statements.push({
            regexPatternSetReferenceStatement: {
              arn: set.attrArn,
              fieldToMatch: { singleHeader: { Name: USER_AGENT } },
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          });
        }
        return { ...base, action: block(403), statement: anyOf(statements) };
      }
    }
  }

  private ipStatement(rule: Extract<WafRulePlan, { kind: 'ip-allow' | 'ip-deny' }>, props: WebAclProps): wafv2.CfnWebACL.StatementProperty {
    const statements: wafv2.CfnWebACL.StatementProperty[] = [];
    for (const [version, addresses] of [
      ['IPV4', rule.ipv4],
      ['IPV6', rule.ipv6],
    ] as const) {
      if (!addresses.length) continue;
      const set = new wafv2.CfnIPSet(this, `${rule.name}${version === 'IPV4' ? 'V4' : 'V6'}`, {
        scope: props.plan.scope,
        ipAddressVersion: version,
        addresses: [...addresses],
        description: `Gatehouse ${props.name}: ${rule.kind === 'ip-allow' ? 'allowed' : 'denied'} ${version} ranges`,
      });
      this.ipSets.push(set);
      statements.push({ ipSetReferenceStatement: { arn: set.attrArn } });
    }
    return anyOf(statements);
  }
}

/** WAF's OR needs two statements or more. */
function anyOf(statements: wafv2.CfnWebACL.StatementProperty[]): wafv2.CfnWebACL.StatementProperty {
  if (statements.length === 1) return statements[0]!;
  return { orStatement: { statements } };
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metricName.replace(/[^\w-]/g, '-').slice(0, 128) };
}
