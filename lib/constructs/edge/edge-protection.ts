// EdgeProtection: one gateway's edge plan rendered: regional web ACL on the stage, CloudFront with origin-verify, CloudFront web ACL in us-east-1.
import { Validations, type Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EdgePlan } from '../../plan/edge-types';
import { EdgeDistribution } from './edge-distribution';
import { WebAcl } from './web-acl';

export interface EdgeProtectionProps {
  readonly plan: EdgePlan;
  readonly gatewayName: string;
  readonly api: apigw.RestApi;
  readonly stage: apigw.Stage;
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
  /** The secret CloudFront sends and the regional web ACL expects. */
  public readonly originVerifySecret?: secretsmanager.Secret;
  /** The mutual TLS custom domain, when `edge.mtls` is set. */
  public readonly mtlsDomain?: apigw.DomainName;

  constructor(scope: Construct, id: string, props: EdgeProtectionProps) {
    super(scope, id);
    const { plan, gatewayName } = props;
    if (plan.cloudfront) {
      this.originVerifySecret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
        description: `Gatehouse ${gatewayName}: header value CloudFront sends so the API can refuse direct calls`,
        generateSecretString: { excludePunctuation: true, passwordLength: 48 },
      });
      Validations.of(this.originVerifySecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The origin-verify value is read by CloudFormation into the distribution and the web ACL; rotating it means a stack update (see README, Edge protection), which a rotation Lambda cannot do.',
      });
    }
    if (plan.regionalWebAcl) {
      this.regionalWebAcl = new WebAcl(this, 'RegionalWebAcl', {
        plan: plan.regionalWebAcl,
        name: gatewayName,
        originVerifySecret: this.originVerifySecret,
        associateWith: props.stage.stageArn,
      });
    }
    if (plan.mtls) {
      const [, bucketName, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(plan.mtls.truststoreUri) ?? [];
      this.mtlsDomain = new apigw.DomainName(this, 'MtlsDomain', {
        domainName: plan.mtls.domain,
        certificate: acm.Certificate.fromCertificateArn(this, 'MtlsCertificate', plan.mtls.certificateArn),
        endpointType: apigw.EndpointType.REGIONAL,
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
        mtls: { bucket: s3.Bucket.fromBucketName(this, 'Truststore', bucketName!), key: key!, version: plan.mtls.truststoreVersion },
      });
      this.mtlsDomain.addBasePathMapping(props.api, { stage: props.stage });
    }
    if (plan.cloudfront) {
      if (plan.cloudfront.webAcl) {
        if (!props.edgeStack) throw new Error('Gatehouse internal error: a CloudFront web ACL needs the us-east-1 edge stack');
        this.cloudfrontWebAcl = new WebAcl(props.edgeStack, `${id}CloudFrontWebAcl`, { plan: plan.cloudfront.webAcl, name: gatewayName });
      }
      this.distribution = new EdgeDistribution(this, 'Distribution', {
        plan: plan.cloudfront,
        gatewayName,
        api: props.api,
        stage: props.stage,
        originVerifySecret: this.originVerifySecret!,
        webAclArn: this.cloudfrontWebAcl?.webAcl.attrArn,
      });
    }
  }
}
