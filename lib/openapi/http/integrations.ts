// The `x-amazon-apigateway-integration` objects of an HTTP gateway: one per function and one per direct path, keyed for reuse.
import { createHash } from 'node:crypto';
import { httpRequestParameters } from '../../plan/http';
import type { HttpGatewayPlan, HttpProxyIntegration, RouteIntegration, RoutePlan } from '../../plan/types';
import { internalError } from '../../constructs/validation-error';
import { lambdaInvocationUri, lambdaServiceArn } from '../function-names';

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
  /** Id of a VPC link the stack creates, by `Plan.vpcLinks` key (reused links carry their id in the plan). @default - none */
  readonly vpcLinkId?: (key: string) => string | undefined;
  /** The account the functions live in: a Lambda service given by name is this account's function. */
  readonly account: string;
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
  if (integration.kind === 'lambda-function') return `lambda-${safe(integration.service)}`;
  // Paths may differ only in characters a key cannot hold (/a-b, /a_b), and one path may be split by method between
  // services or auth (GET /orders to a reader, POST to a writer): the hash covers the path and the integration.
  return `http_${safe(path) || 'root'}-${createHash('sha256')
    .update(`${path}\n${JSON.stringify(integration)}`)
    .digest('hex')
    .slice(0, 8)}`;
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
export function renderIntegrations(plan: HttpGatewayPlan, refs: HttpFunctionRefs): Record<string, Record<string, unknown>> {
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

/**
 * A private integration: the target is the listener or Cloud Map service ARN, the link's id is `connectionId`, the
 * path comes from the service's url (and the greedy segment) by `overwrite:path`, and an https:// url's host is the
 * name its certificate is verified against (`tlsConfig.serverNameToVerify`; without it the traffic is HTTP).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
 */
function privateIntegration(
  i: HttpProxyIntegration,
  greedy: boolean,
  headers: Record<string, string>,
  refs: HttpFunctionRefs,
): Record<string, unknown> {
  const link = i.vpcLink!;
  const connectionId = link.connectionId ?? refs.vpcLinkId?.(link.link);
  if (!connectionId) throw internalError(`an HTTP private integration has no id for VPC link "${link.link}"`);
  // The path part of the upstream URL (tokens hold no "/"), with the greedy segment filled from the route's {proxy+}.
  const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]*/, '') || '/';
  const path = greedy ? pathOf(i.greedyUri).replace('{proxy}', '$request.path.proxy') : pathOf(i.uri);
  return {
    type: 'http_proxy',
    httpMethod: 'ANY',
    uri: link.targetArn,
    connectionType: 'VPC_LINK',
    connectionId,
    payloadFormatVersion: '1.0',
    timeoutInMillis: i.timeoutMs,
    requestParameters: { ...headers, 'overwrite:path': path },
    ...(link.serverName ? { tlsConfig: { serverNameToVerify: link.serverName } } : {}),
  };
}

function integrationFor(route: RoutePlan, path: string, refs: HttpFunctionRefs, authorizer: 'native' | 'lambda'): Record<string, unknown> {
  const i = route.integration;
  if (i.kind === 'http-proxy') {
    const greedy = path === route.greedyChild;
    const requestParameters = httpRequestParameters(i, authorizer);
    if (i.vpcLink) return privateIntegration(i, greedy, requestParameters, refs);
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
  if (i.kind === 'lambda-function') {
    // The service's own function, with the payload version it asked for (API Gateway's default is 2.0 as well).
    return {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: invocationUri(refs, lambdaServiceArn(refs, i.function)),
      connectionType: 'INTERNET',
      payloadFormatVersion: i.payload,
      timeoutInMillis: i.timeoutMs,
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
