// EdgeDistribution: a CloudFront distribution in front of one API (a REST stage or an HTTP API), with the origin-verify secret and no API caching by default.
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CloudfrontPlan } from '../../plan/edge-types';
import { regionalName } from '../unique-names';

/** Where CloudFront forwards to: the API's execute-api host name and, on a REST API, the stage's path. */
export interface ApiOrigin {
  readonly domainName: string;
  /** @default - none (an HTTP API's `$default` stage is served at the root) */
  readonly path?: string;
}

export function restApiOrigin(api: apigw.IRestApi, stage: apigw.Stage): ApiOrigin {
  const stack = Stack.of(api);
  return { domainName: `${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`, path: `/${stage.stageName}` };
}

export function httpApiOrigin(api: apigwv2.IHttpApi): ApiOrigin {
  const stack = Stack.of(api);
  return { domainName: `${api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}` };
}

export interface EdgeDistributionProps {
  readonly plan: CloudfrontPlan;
  readonly gatewayName: string;
  /** The API behind the distribution (`restApiOrigin` or `httpApiOrigin`). */
  readonly origin: ApiOrigin;
  /** The secret CloudFront sends in the origin-verify header. */
  readonly originVerifySecret: secretsmanager.ISecret;
  /**
   * ARN of a CLOUDFRONT-scope web ACL (created in us-east-1).
   * @default - no web ACL on the distribution
   */
  readonly webAclArn?: string;
}

export class EdgeDistribution extends Construct {
  public readonly distribution: cloudfront.Distribution;
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** One cache policy per cached route, by spec route index. */
  public readonly cachePolicies = new Map<number, cloudfront.CachePolicy>();
  public readonly logBucket?: s3.Bucket;
  /** Sets the viewer's IP in a header on every request, when rate limits count IPs (`plan.viewerIpHeader`). */
  public readonly viewerIpFunction?: cloudfront.Function;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const { plan } = props;

    const origin = new origins.HttpOrigin(props.origin.domainName, {
      originPath: props.origin.path,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(plan.originReadTimeoutSeconds),
      // A {{resolve:secretsmanager:…}} dynamic reference: the value never appears in the template.
      customHeaders: { [plan.originVerifyHeader]: props.originVerifySecret.secretValue.unsafeUnwrap() },
    });

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      // Response headers policies are global to the account: the same stack in two regions must not share a name.
      responseHeadersPolicyName: regionalName(() => this.responseHeadersPolicy, 128),
      comment: `Gatehouse ${props.gatewayName}: HSTS, nosniff, frame options, referrer policy`,
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    if (plan.viewerIpHeader) {
      // Overwrites whatever the client sent under that name; CloudFront Functions see header names in lower case.
      this.viewerIpFunction = new cloudfront.Function(this, 'ViewerIp', {
        comment: `Gatehouse ${props.gatewayName}: the viewer's IP in ${plan.viewerIpHeader} for rate limits`,
        runtime: cloudfront.FunctionRuntime.JS_2_0,
        code: cloudfront.FunctionCode.fromInline(
          `function handler(event) { event.request.headers[${JSON.stringify(plan.viewerIpHeader.toLowerCase())}] = { value: event.viewer.ip }; return event.request; }`,
        ),
      });
    }
    const functionAssociations = this.viewerIpFunction
      ? [{ function: this.viewerIpFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }]
      : undefined;

    // API responses are not cached unless a route asks for it: CloudFront's default TTL (a day) would serve stale, per-user data.
    const behavior = (cachePolicy: cloudfront.ICachePolicy): cloudfront.BehaviorOptions => ({
      origin,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      cachePolicy,
      // Every viewer header but Host: API Gateway routes on its own host name.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeadersPolicy,
      compress: true,
      functionAssociations,
    });
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    for (const b of plan.cacheBehaviors) {
      let policy = this.cachePolicies.get(b.routeIndex);
      if (!policy) {
        policy = new cloudfront.CachePolicy(this, `CacheRoute${b.routeIndex}`, {
          comment: `Gatehouse ${props.gatewayName}: route ${b.routeIndex}, ${b.ttlSeconds} s`,
          defaultTtl: Duration.seconds(b.ttlSeconds),
          maxTtl: Duration.seconds(b.ttlSeconds),
          minTtl: Duration.seconds(0),
          headerBehavior: b.keyHeaders.length
            ? cloudfront.CacheHeaderBehavior.allowList(...b.keyHeaders)
            : cloudfront.CacheHeaderBehavior.none(),
          queryStringBehavior: b.keyQuery.length
            ? cloudfront.CacheQueryStringBehavior.allowList(...b.keyQuery)
            : cloudfront.CacheQueryStringBehavior.none(),
          cookieBehavior: cloudfront.CacheCookieBehavior.none(),
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        });
        this.cachePolicies.set(b.routeIndex, policy);
      }
      for (const pattern of b.pathPatterns) additionalBehaviors[pattern] = behavior(policy);
    }

    if (plan.accessLogs) {
      // CloudFront standard logs are written with ACLs, so the bucket keeps object-writer ownership.
      this.logBucket = new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
        lifecycleRules: [{ expiration: Duration.days(90) }],
      });
      Validations.of(this.logBucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'This bucket holds CloudFront access logs; logging its own access would log the logger.',
      });
    }

    this.distribution = new cloudfront.Distribution(this, 'Resource', {
      comment: `Gatehouse gateway ${props.gatewayName}`,
      defaultBehavior: behavior(cloudfront.CachePolicy.CACHING_DISABLED),
      additionalBehaviors,
      priceClass:
        cloudfront.PriceClass[
          plan.priceClass === 'PriceClass_All'
            ? 'PRICE_CLASS_ALL'
            : plan.priceClass === 'PriceClass_200'
              ? 'PRICE_CLASS_200'
              : 'PRICE_CLASS_100'
        ],
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      domainNames: plan.domain ? [plan.domain] : undefined,
      certificate: plan.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', plan.certificateArn) : undefined,
      enableIpv6: true,
      enableLogging: plan.accessLogs,
      logBucket: this.logBucket,
      webAclId: props.webAclArn,
    });
    acknowledgeConfigChoices(this.distribution, props);
    // The API's own URL refuses direct calls (origin-verify); this is the one clients use.
    new CfnOutput(this, 'Url', {
      value: `https://${plan.domain ?? this.distribution.distributionDomainName}/`,
      description: `URL of gateway "${props.gatewayName}" through CloudFront`,
    });
  }
}

/** Findings that follow from choices written in the config; each reason says which choice. */
function acknowledgeConfigChoices(distribution: cloudfront.Distribution, props: EdgeDistributionProps): void {
  const at = `gateways.${props.gatewayName}.edge`;
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: `Geo restrictions are WAF rules in Gatehouse (${at}.waf.geoBlock), which answer with a JSON 403 instead of CloudFront's HTML page.`,
  });
  if (!props.webAclArn) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: `The config has no ${at}.waf section; Gatehouse never attaches a web ACL the config does not ask for.`,
    });
  }
  if (!props.plan.accessLogs) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason: `CloudFront access logs are off in the config (${at}.cloudfront.accessLogs: false); API Gateway access logs record every request that reaches the API.`,
    });
  }
  if (!props.plan.domain) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: `The distribution uses its cloudfront.net name (no ${at}.cloudfront.domain); CloudFront's default certificate fixes the viewer policy, TLS 1.2 applies once a domain and certificate are set.`,
    });
  }
}
