// Gatehouse (L3): a whole spec rendered in one scope: one RestGateway or HttpGateway per gateway, plus account-level parts.
import { Annotations, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ArtifactMetadataEntryType } from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';
import { planSpec } from '../plan/plan';
import type { Plan } from '../plan/types';
import { loadConfig, validateConfig } from '../config/load';
import { formatPosition } from '../config/source';
import type { GatehouseSpec as ResolvedSpec } from '../config/schema';
import type { GatehouseSpec } from '../config/types';
import { ApiGatewayCloudWatchRole } from './cloudwatch-role';
import { CustomDomain, type MappedStage } from './custom-domain';
import { KeyExpiry } from './key-expiry';
import { HttpGateway } from './http-gateway';
import { RestGateway } from './rest-gateway';
import { StateTable } from './state-table';
import { pascal } from '../plan/naming';
import { EdgeProtection } from './edge/edge-protection';
import { checkEdgeRegion, createEdgeStack } from './edge/edge-stack';
import { GatewayApi } from './gateway-api';
import { grantManageKeys } from './key-grants';
import { atConstruct, invalidProps } from './validation-error';
import { renderVpcLinks, type RenderedVpcLink } from './vpc-links';

export interface GatehouseProps {
  /**
   * The config: a typed object (`GatehouseSpec`), or what `loadConfig('gatehouse.yaml')` returns. It is validated
   * and its defaults applied here; an invalid one throws a `ValidationError` listing every problem.
   * To read a config file, use `Gatehouse.fromConfigFile`.
   */
  readonly spec: GatehouseSpec | ResolvedSpec;
}

/**
 * A whole Gatehouse config rendered in one scope: an API Gateway REST or HTTP API per gateway with its
 * authorizers, usage plans, proxies, aggregators, WAF, CloudFront, custom domains, dashboard and alarms.
 *
 * @example
 * const gatehouse = new Gatehouse(stack, 'Api', {
 *   spec: { services: { users: { url: 'https://users.example.com' } }, gateways: { public: { routes: [{ service: 'users', paths: ['/users'] }] } } },
 * });
 * new CfnOutput(stack, 'Url', { value: gatehouse.gateway('public').url });
 */
export class Gatehouse extends Construct {
  /**
   * Reads a config file (.yaml, .yml or .json) and renders it. Problems are reported with file:line, as
   * `gatehouse validate` prints them, in a `ValidationError` at `scope`.
   */
  public static fromConfigFile(scope: Construct, id: string, path: string): Gatehouse {
    return new Gatehouse(scope, id, { spec: atConstruct(scope, () => loadConfig(path)) });
  }

  /** The validated spec, defaults applied. */
  public readonly spec: ResolvedSpec;
  /** What was built and why (the same data `gatehouse explain` prints). */
  public readonly plan: Plan;
  /** One REST gateway per entry under `gateways` with `flavor: rest` (the default). */
  public readonly gateways: Record<string, RestGateway> = {};
  /** One HTTP API gateway per entry under `gateways` with `flavor: http`. */
  public readonly httpGateways: Record<string, HttpGateway> = {};
  /** The account's API Gateway CloudWatch role, when `account.manageCloudWatchRole` is true. */
  public readonly cloudWatchRole?: ApiGatewayCloudWatchRole;
  /** The topic alarms go to, when some gateway has alarms and names no topic of its own. */
  public readonly alarmTopic?: sns.Topic;
  /** The daily API-key expiry check, when some gateway has usage plans. */
  public readonly keyExpiry?: KeyExpiry;
  /** DynamoDB table of state shared by Lambda instances (circuit breakers), when some proxy shares state. */
  public readonly stateTable?: StateTable;
  /** WAF and CloudFront of each gateway with an `edge` section. */
  public readonly edges: Record<string, EdgeProtection> = {};
  /** The us-east-1 stack with CloudFront web ACLs, a sibling of this construct's stack. */
  public readonly edgeStack?: Stack;
  /** The client certificate each REST gateway's stage presents to its upstreams (`services.<name>.clientCertificate`), by gateway. */
  public readonly clientCertificates: Record<string, apigw.CfnClientCertificate> = {};
  /** Regional custom domains (`gateways.<name>.domain`), by domain name. */
  public readonly domains: Record<string, CustomDomain> = {};
  /** The VPC links this stack creates for private services (`plan.vpcLinks`), by key; reused links are not here. */
  public readonly vpcLinks: Record<string, RenderedVpcLink>;

  constructor(scope: Construct, id: string, props: GatehouseProps) {
    super(scope, id);
    this.spec = atConstruct(this, () => validateConfig(props.spec));
    // APIs are named after the stack too, so two stacks in one region never share metrics or alarms.
    const stackName = Stack.of(this).stackName;
    this.plan = atConstruct(this, () => planSpec(this.spec, { stackName: Token.isUnresolved(stackName) ? undefined : stackName }));
    for (const warning of this.plan.warnings) {
      if (warning.file) {
        // A config file's warning points at its line and is acknowledged in that file: CDK's [ack: …] id is for TS apps,
        // and without a stack trace the CDK CLI points at the YAML in the message instead of at this source file.
        this.node.addMetadata(
          ArtifactMetadataEntryType.WARN,
          `${formatPosition(warning)}${warning.where}: ${warning.message} [${warning.code}; to accept it add to ${warning.file}: acknowledge: [{ code: ${warning.code}, where: ${warning.where}, reason: … }]]`,
          { stackTrace: false },
        );
      } else {
        Annotations.of(this).addWarningV2(`gatehouse:${warning.code}`, `${warning.where}: ${warning.message}`);
      }
    }
    if (this.plan.manageCloudWatchRole) this.cloudWatchRole = new ApiGatewayCloudWatchRole(this, 'ApiGatewayCloudWatchRole');
    if (this.plan.sharedAlarmTopic) {
      this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Gatehouse alarms', enforceSSL: true });
      Validations.of(this.alarmTopic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key; alarm messages carry metric names and thresholds, no request data.',
      });
    }
    if (this.plan.keyExpiry) {
      this.keyExpiry = new KeyExpiry(this, 'KeyExpiry', { warningDays: this.plan.keyExpiry.warningDays, alarmTopic: this.alarmTopic });
    }
    if (this.plan.stateTable) this.stateTable = new StateTable(this, 'StateTable');
    this.vpcLinks = renderVpcLinks(this, this.plan.vpcLinks);
    const vpcLinkIds = Object.fromEntries(Object.entries(this.vpcLinks).map(([key, link]) => [key, link.id]));
    for (const gateway of this.plan.gateways) {
      const topicArn = gateway.observability.alarmTopicArn;
      const alarmTopic = topicArn ? sns.Topic.fromTopicArn(this, `${pascal(gateway.name)}AlarmTopic`, topicArn) : this.alarmTopic;
      if (gateway.flavor === 'http') {
        this.httpGateways[gateway.name] = new HttpGateway(this, pascal(gateway.name), {
          plan: gateway,
          stateTable: this.stateTable?.table,
          alarmTopic,
          vpcLinkIds,
        });
        continue;
      }
      this.gateways[gateway.name] = new RestGateway(this, pascal(gateway.name), {
        plan: gateway,
        stageDependsOn: this.cloudWatchRole?.account,
        stateTable: this.stateTable?.table,
        alarmTopic,
        vpcLinkIds,
      });
      if (gateway.clientCertificate) this.attachClientCertificate(gateway.name, gateway.clientCertificate.services);
    }
    atConstruct(this, () => this.renderEdges());
    this.renderDomains();
  }

  /**
   * Lets `grantee` (a CI role, an operator) run `gatehouse keys` against this Gatehouse: create, list, rotate
   * and revoke consumers' API keys and attach them to this Gatehouse's usage plans.
   */
  public grantManageKeys(grantee: iam.IGrantable): iam.Grant {
    const planIds = Object.values(this.gateways).flatMap((g) => Object.values(g.usagePlans).map((p) => p.usagePlanId));
    return grantManageKeys(this, grantee, planIds);
  }

  /** A gateway of the config by its name under `gateways`: its URL and the metrics its dashboard charts. */
  public gateway(name: string): GatewayApi {
    const rest = this.gateways[name];
    if (rest) return new GatewayApi({ name, restApi: rest.api, restStage: rest.stage });
    const http = this.httpGateways[name];
    if (http) return new GatewayApi({ name, httpApi: http.api, httpStage: http.stage });
    const known = this.plan.gateways.map((g) => g.name).join(', ');
    throw invalidProps(this, `no gateway "${name}" in this Gatehouse; its gateways are: ${known}`);
  }

  /**
   * Set on the stage here rather than in RestGateway: the stage's CfnStage takes the certificate id, and
   * API Gateway presents it on every HTTP integration of the stage
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html).
   */
  private attachClientCertificate(gatewayName: string, services: readonly string[]): void {
    const certificate = new apigw.CfnClientCertificate(this, `${pascal(gatewayName)}ClientCertificate`, {
      description: `Gatehouse gateway "${gatewayName}": presented to ${services.join(', ')}`,
    });
    (this.gateways[gatewayName]!.stage.node.defaultChild as apigw.CfnStage).clientCertificateId = certificate.ref;
    this.clientCertificates[gatewayName] = certificate;
  }

  private renderDomains(): void {
    const stages: Record<string, MappedStage> = {};
    for (const [name, g] of Object.entries(this.gateways))
      stages[name] = { apiId: g.api.restApiId, stageName: g.stage.stageName, stage: g.stage };
    for (const [name, g] of Object.entries(this.httpGateways))
      stages[name] = { apiId: g.api.apiId, stageName: g.stage.stageName, stage: g.stage };
    for (const domain of this.plan.domains) {
      this.domains[domain.name] = new CustomDomain(this, `Domain${pascal(domain.name)}`, { plan: domain, stages });
    }
  }

  private renderEdges(): void {
    if (this.plan.gateways.some((g) => g.edge?.cloudfront)) checkEdgeRegion(this, this.spec.account.region);
    const edgeStack = this.plan.edgeStack ? createEdgeStack(this) : undefined;
    (this as { edgeStack?: Stack }).edgeStack = edgeStack;
    for (const gateway of this.plan.gateways) {
      if (!gateway.edge) continue;
      const rest = this.gateways[gateway.name];
      const http = this.httpGateways[gateway.name];
      this.edges[gateway.name] = new EdgeProtection(this, `${pascal(gateway.name)}Edge`, {
        plan: gateway.edge,
        gatewayName: gateway.name,
        api: rest ? { restApi: rest.api, stage: rest.stage } : { httpApi: http!.api, httpStage: http!.stage },
        // An HTTP gateway's authorizers check the secret it created; CloudFront must send that one.
        originVerifySecret: http?.originVerifySecret,
        edgeStack,
      });
      (rest ?? http)!.observability.addEdge(this.edges[gateway.name]!);
    }
  }
}
