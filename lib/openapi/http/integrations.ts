// The `x-amazon-apigateway-integration` objects of an HTTP gateway: one per function and one per direct path, keyed for reuse.
import { createHash } from 'node:crypto';
import { GREEDY_SEGMENT } from '../../plan/routes';
import { httpRequestParameters } from '../../plan/http';
import type { GatewayPlan, RouteIntegration, RoutePlan } from '../../plan/types';
import { lambdaInvocationUri } from '../function-names';

/**
 * What the document cannot know by itself: where Gatehouse's functions are (CDK tokens in an inline body, ARNs built
 * from fixed names and API Gateway's import variables in an S3 body, placeholders in an export).
 */
export interface HttpFunctionRefs {
  /** ARN of the resilient proxy of `service`. */
  readonly proxyArn: (service: string) => string;
  /** ARN of the aggregator of `aggregate`. */
  readonly aggregatorArn: (aggregate: string) => string;
  /** ARN of the Gatehouse JWT Lambda authorizer, when the plan has one. */
  readonly authorizerArn?: string;
  /** ARN of the origin-verify Lambda authorizer, when the plan has one. */
  readonly originVerifyAuthorizerArn?: string;
  /** The partition and region the functions live in (`${AWS::Partition}`, `${AWS::Region}`: CloudFormation's pseudo parameters inline, API Gateway's import variables in S3). */
  readonly partition: string;
  readonly region: string;
}

/** The Lambda invocation URI API Gateway calls a function by (integrations and authorizers alike). */
export function invocationUri(refs: HttpFunctionRefs, functionArn: string): string {
  return lambdaInvocationUri(refs, functionArn);
}

/**
 * The key of a route path's integration in `components.x-amazon-apigateway-integrations` (HTTP APIs only, routes
 * refer to it by `$ref`: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integrations.html):
 * functions are shared by
 * all their routes, direct paths have their own per integration (exact and greedy URIs differ). Keys come from names, paths and integrations,
 * never from positions, so inserting a route changes no other integration.
 */
export function integrationKey(integration: RouteIntegration, path: string): string {
  if (integration.kind === 'lambda-proxy') return `proxy-${safe(integration.service)}`;
  if (integration.kind === 'aggregator') return `aggregator-${safe(integration.aggregate)}`;
  // Paths may differ only in characters a key cannot hold (/a-b, /a_b), and one path may be split by method between
  // services or auth (GET /orders to a reader, POST to a writer): the hash covers the path and the integration.
  return `http_${safe(path) || 'root'}-${createHash('sha256').update(`${path}\n${JSON.stringify(integration)}`).digest('hex').slice(0, 8)}`;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Every integration the gateway's routes use, by key. HTTP_PROXY forwards the caller's method and path; its
 * request parameters set the correlation and identity headers (`overwrite:`/`remove:`, the forms documented in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html). Lambda
 * integrations use payload 2.0 like the CDK-rendered ones did:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function renderIntegrations(plan: GatewayPlan, refs: HttpFunctionRefs): Record<string, Record<string, unknown>> {
  const authorizer = plan.authorizer ? 'lambda' : 'native';
  const out: Record<string, Record<string, unknown>> = {};
  for (const route of plan.routes) {
    for (const path of route.resourcePaths) {
      const key = integrationKey(route.integration, path);
      if (out[key]) continue;
      out[key] = integrationFor(route, path, refs, authorizer);
    }
  }
  return out;
}

function integrationFor(route: RoutePlan, path: string, refs: HttpFunctionRefs, authorizer: 'native' | 'lambda'): Record<string, unknown> {
  const i = route.integration;
  if (i.kind === 'http-proxy') {
    const greedy = path.endsWith(`/${GREEDY_SEGMENT}`);
    const requestParameters = httpRequestParameters(i, authorizer);
    return {
      type: 'http_proxy',
      httpMethod: 'ANY', // HTTP_PROXY forwards the caller's own method
      // The greedy route's {proxy+} fills `{proxy}` in the URI, which is how stripPath works here.
      uri: greedy ? i.greedyUri : i.uri,
      connectionType: 'INTERNET',
      payloadFormatVersion: '1.0',
      timeoutInMillis: i.timeoutMs,
      ...(Object.keys(requestParameters).length ? { requestParameters } : {}),
    };
  }
  const arn = i.kind === 'lambda-proxy' ? refs.proxyArn(i.service) : refs.aggregatorArn(i.aggregate);
  return {
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: invocationUri(refs, arn),
    connectionType: 'INTERNET',
    payloadFormatVersion: '2.0',
    timeoutInMillis: i.timeoutMs,
  };
}
