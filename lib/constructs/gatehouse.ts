// Gatehouse (L3): a whole spec rendered in one scope: one RestGateway or HttpGateway per gateway, plus account-level parts.
import { Annotations, Validations, type Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { planSpec } from '../plan/plan';
import type { Plan } from '../plan/types';
import { validateSpec } from '../spec/load';
import type { GatehouseSpec, GatehouseSpecInput } from '../spec/schema';
import { ApiGatewayCloudWatchRole } from './cloudwatch-role';
import { CustomDomain, type MappedStage } from './custom-domain';
import { KeyExpiry } from './key-expiry';
import { HttpGateway } from './http-gateway';
import { RestGateway } from './rest-gateway';
import { StateTable } from './state-table';
import { pascal } from './usage-plans';
import { EdgeProtection } from './edge/edge-protection';
import { checkEdgeRegion, createEdgeStack } from './edge/edge-stack';


export interface GatehouseProps {
  /** The config: a typed object, or the result of `loadSpec('gatehouse.yaml')`. Defaults are applied either way. */
  readonly spec: GatehouseSpecInput | GatehouseSpec;
}

export class Gatehouse extends Construct {
  /** The validated spec, defaults applied. */
  public readonly spec: GatehouseSpec;
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

  constructor(scope: Construct, id: string, props: GatehouseProps) {
    super(scope, id);
    this.spec = validateSpec(props.spec);
    this.plan = planSpec(this.spec);
    for (const warning of this.plan.warnings) {
      Annotations.of(this).addWarningV2(`gatehouse:${warning.code}`, `${warning.where}: ${warning.message}`);
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
    for (const gateway of this.plan.gateways) {
      const topicArn = gateway.observability.alarmTopicArn;
      const alarmTopic = topicArn ? sns.Topic.fromTopicArn(this, `${pascal(gateway.name)}AlarmTopic`, topicArn) : this.alarmTopic;
      if (gateway.flavor === 'http') {
        this.httpGateways[gateway.name] = new HttpGateway(this, pascal(gateway.name), { plan: gateway, stateTable: this.stateTable?.table, alarmTopic });
        continue;
      }
      this.gateways[gateway.name] = new RestGateway(this, pascal(gateway.name), {
        plan: gateway,
        stageDependsOn: this.cloudWatchRole?.account,
        stateTable: this.stateTable?.table,
        alarmTopic,
      });
      if (gateway.clientCertificate) this.attachClientCertificate(gateway.name, gateway.clientCertificate.services);
    }
    this.renderEdges();
    this.renderDomains();
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
    for (const [name, g] of Object.entries(this.gateways)) stages[name] = { apiId: g.api.restApiId, stageName: g.stage.stageName, stage: g.stage };
    for (const [name, g] of Object.entries(this.httpGateways)) stages[name] = { apiId: g.api.apiId, stageName: g.stage.stageName, stage: g.stage };
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
    }
  }
}
