// EdgeProtection: one gateway's edge plan rendered: regional web ACL on the stage, CloudFront with origin-verify, CloudFront web ACL in us-east-1.
import { Aws, Validations, type Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EdgePlan } from '../../plan/edge-types';
import { EdgeDistribution, httpApiOrigin, restApiOrigin } from './edge-distribution';
import { WebAcl } from './web-acl';
import { invalidProps } from '../validation-error';

/** The API behind the edge: a REST API and its stage, or an HTTP API and its `$default` stage. */
export type EdgeApi =
  | { readonly restApi: apigw.IRestApi; readonly stage: apigw.Stage }
  | { readonly httpApi: apigwv2.IHttpApi; readonly httpStage: apigwv2.IHttpStage };

export interface EdgeProtectionProps {
  readonly plan: EdgePlan;
  readonly gatewayName: string;
  readonly api: EdgeApi;
  /**
   * The secret CloudFront sends in the origin-verify header. An HTTP gateway creates its own, because its
   * authorizers check it (`HttpGateway.originVerifySecret`).
   * @default - a new secret, when the plan has CloudFront
   */
  readonly originVerifySecret?: secretsmanager.ISecret;
  /**
   * The us-east-1 stack that holds CLOUDFRONT-scope web ACLs.
   * @default - required only when the plan has CloudFront with a web ACL
   */
  readonly edgeStack?: Stack;
}

export class EdgeProtection extends Construct {
  /** The REGIONAL web ACL on the stage (the whole waf section, or only origin-verify behind CloudFront). */
  public readonly regionalWebAcl?: WebAcl;
  /** The CLOUDFRONT-scope web ACL, in the edge stack. */
  public readonly cloudfrontWebAcl?: WebAcl;
  public readonly distribution?: EdgeDistribution;
  /** The secret CloudFront sends and the regional web ACL (REST) or the authorizers (HTTP) expect. */
  public readonly originVerifySecret?: secretsmanager.ISecret;
  /** The mutual TLS custom domain, when `edge.mtls` is set (a v2 domain name for an HTTP API). */
  public readonly mtlsDomain?: apigw.DomainName | apigwv2.DomainName;

  constructor(scope: Construct, id: string, props: EdgeProtectionProps) {
    super(scope, id);
    const { plan, gatewayName, api } = props;
    const rest = 'restApi' in api ? api : undefined;
    const http = 'httpApi' in api ? api : undefined;
    if (plan.cloudfront) this.originVerifySecret = props.originVerifySecret ?? createOriginVerifySecret(this, gatewayName);
    if (plan.regionalWebAcl) {
      if (!rest)
        throw invalidProps(this, `EdgeProtection "${gatewayName}": a regional web ACL needs a REST API stage (HTTP APIs take none)`);
      this.regionalWebAcl = new WebAcl(this, 'RegionalWebAcl', {
        plan: plan.regionalWebAcl,
        name: gatewayName,
        originVerifySecret: this.originVerifySecret,
        associateWith: stageArn(rest.restApi, rest.stage),
      });
    }
    if (plan.mtls) {
      const [, bucketName, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(plan.mtls.truststoreUri) ?? [];
      const certificate = acm.Certificate.fromCertificateArn(this, 'MtlsCertificate', plan.mtls.certificateArn);
      const mtls = { bucket: s3.Bucket.fromBucketName(this, 'Truststore', bucketName!), key: key!, version: plan.mtls.truststoreVersion };
      if (rest) {
        const domain = new apigw.DomainName(this, 'MtlsDomain', {
          domainName: plan.mtls.domain,
          certificate,
          endpointType: apigw.EndpointType.REGIONAL,
          securityPolicy: apigw.SecurityPolicy.TLS_1_2,
          mtls,
        });
        domain.addBasePathMapping(rest.restApi, { stage: rest.stage });
        this.mtlsDomain = domain;
      } else {
        // An HTTP API's custom domains are v2 domain names; HttpGateway turns the execute-api endpoint off with it.
        const domain = new apigwv2.DomainName(this, 'MtlsDomain', {
          domainName: plan.mtls.domain,
          certificate,
          securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
          mtls,
        });
        new apigwv2.ApiMapping(this, 'MtlsMapping', { api: http!.httpApi, domainName: domain, stage: http!.httpStage });
        this.mtlsDomain = domain;
      }
    }
    if (plan.cloudfront) {
      if (plan.cloudfront.webAcl) {
        if (!props.edgeStack)
          throw invalidProps(
            this,
            'EdgeProtection: the plan has a CloudFront web ACL, so the edgeStack prop (a us-east-1 stack) is required',
          );
        this.cloudfrontWebAcl = new WebAcl(props.edgeStack, `${id}CloudFrontWebAcl`, { plan: plan.cloudfront.webAcl, name: gatewayName });
      }
      this.distribution = new EdgeDistribution(this, 'Distribution', {
        plan: plan.cloudfront,
        gatewayName,
        origin: rest ? restApiOrigin(rest.restApi, rest.stage) : httpApiOrigin((api as { httpApi: apigwv2.IHttpApi }).httpApi),
        originVerifySecret: this.originVerifySecret!,
        webAclArn: this.cloudfrontWebAcl?.webAcl.attrArn,
      });
    }
  }
}

/**
 * The stage's ARN from its Ref (so the association waits for the stage) with the partition as a reference:
 * Stage.stageArn writes the partition literally (arn:aws:) once the stack's region is known.
 */
function stageArn(api: apigw.IRestApi, stage: apigw.Stage): string {
  return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${api.restApiId}/stages/${stage.stageName}`;
}

/** The value CloudFront sends in the origin-verify header, generated by Secrets Manager. */
export function createOriginVerifySecret(scope: Construct, gatewayName: string): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'OriginVerifySecret', {
    description: `Gatehouse ${gatewayName}: header value CloudFront sends so the API can refuse direct calls`,
    generateSecretString: { excludePunctuation: true, passwordLength: 48 },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      "The origin-verify value is read by CloudFormation into the distribution (and a REST API's web ACL); rotating it means a stack update (see README, Edge protection), which a rotation Lambda cannot do.",
  });
  return secret;
}
