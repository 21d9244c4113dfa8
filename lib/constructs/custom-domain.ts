// CustomDomain: one regional custom domain name and an API mapping per gateway stage that answers at it (REST or HTTP).
import { CfnOutput } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct, type IConstruct } from 'constructs';
import type { DomainPlan } from '../plan/domains';
import { pascal } from '../plan/naming';
import { invalidProps } from './validation-error';

/** A stage a domain maps to: REST and HTTP API stages map alike through the v2 API. */
export interface MappedStage {
  readonly apiId: string;
  readonly stageName: string;
  /** The stage resource; the mapping waits for it. */
  readonly stage: IConstruct;
}

export interface CustomDomainProps {
  readonly plan: DomainPlan;
  /** The stage of every gateway in the plan's mappings, by gateway name. */
  readonly stages: Readonly<Record<string, MappedStage>>;
}

export class CustomDomain extends Construct {
  public readonly domainName: apigwv2.DomainName;
  /** API mappings by gateway name. */
  public readonly mappings: Record<string, apigwv2.CfnApiMapping> = {};

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const { plan } = props;
    // "You can map HTTP and REST API stages to the same custom domain name", with multi-level base paths on
    // TLS 1.2 regional domains: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html
    this.domainName = new apigwv2.DomainName(this, 'Resource', {
      domainName: plan.name,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', plan.certificateArn),
      securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
    });
    for (const mapping of plan.mappings) {
      const stage = props.stages[mapping.gateway];
      if (!stage) throw invalidProps(this, `CustomDomain ${plan.name}: no stage given for gateway "${mapping.gateway}"`);
      const id = pascal(mapping.gateway);
      const cfn = new apigwv2.CfnApiMapping(this, `${id}Mapping`, {
        apiId: stage.apiId,
        domainName: this.domainName.name,
        stage: stage.stageName,
        apiMappingKey: mapping.basePath,
      });
      cfn.node.addDependency(this.domainName, stage.stage);
      this.mappings[mapping.gateway] = cfn;
      new CfnOutput(this, `${id}Url`, { value: mapping.url, description: `URL of gateway "${mapping.gateway}" on its custom domain` });
    }
    new CfnOutput(this, 'RegionalDomainName', {
      value: this.domainName.regionalDomainName,
      description: `Point ${plan.name} here (CNAME or alias)`,
    });
    new CfnOutput(this, 'RegionalHostedZoneId', {
      value: this.domainName.regionalHostedZoneId,
      description: `Hosted zone of ${plan.name}'s target, for a Route 53 alias`,
    });
  }
}
