// Cross-field rules of the edge section and of routes' validate/cache options.
import type { RawIssue } from './errors';
import { cloudfrontSchema, type CloudfrontSpec } from './edge-schema';
import type { GatewaySpec } from './schema';
import { readSchemaFile } from './schema-files';

const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

/**
 * CloudFront's settings when it is in front of the gateway: `edge.cloudfront` turned on, or on an HTTP API
 * implied by `edge.waf` (HTTP APIs take no web ACL, so their WAF runs at CloudFront; the planner warns).
 */
export function cloudfrontOf(gateway: GatewaySpec): CloudfrontSpec | undefined {
  const edge = gateway.edge;
  if (edge?.cloudfront) return edge.cloudfront.enabled ? edge.cloudfront : undefined;
  return gateway.flavor === 'http' && edge?.waf ? cloudfrontSchema.parse({}) : undefined;
}

export function checkEdgeRules(gateway: GatewaySpec, at: readonly (string | number)[], baseDir: string): RawIssue[] {
  const issues: RawIssue[] = [];
  const edge = gateway.edge;
  const edgeAt = [...at, 'edge'];
  const cloudfront = cloudfrontOf(gateway);
  if (edge?.cloudfront && Boolean(edge.cloudfront.domain) !== Boolean(edge.cloudfront.certificateArn)) {
    const missing = edge.cloudfront.domain ? 'certificateArn' : 'domain';
    issues.push({
      path: [...edgeAt, 'cloudfront', missing],
      message: 'a custom domain needs both domain and certificateArn (an ACM certificate in us-east-1 covering the domain)',
    });
  }
  if (cloudfront && gateway.endpoint.type === 'PRIVATE') {
    issues.push({
      path: [...edgeAt, 'cloudfront', 'enabled'],
      message:
        'CloudFront cannot reach a PRIVATE API (it is only reachable through VPC endpoints); use a REGIONAL endpoint or turn CloudFront off',
    });
  }
  if (edge?.mtls) {
    if (cloudfront) {
      issues.push({
        path: [...edgeAt, 'mtls'],
        message: "CloudFront ends the client's TLS connection, so the API never sees a client certificate: use mtls without cloudfront",
      });
    }
    if (gateway.endpoint.type !== 'REGIONAL') {
      issues.push({
        path: [...edgeAt, 'mtls'],
        message: `API Gateway offers mutual TLS on REGIONAL custom domains only (this gateway is ${gateway.endpoint.type})`,
      });
    }
  }
  const policy = edge?.resourcePolicy;
  if (policy && (policy.ipAllow || policy.ipDeny)) {
    if (cloudfront) {
      issues.push({
        path: [...edgeAt, 'resourcePolicy'],
        message:
          "behind CloudFront the API sees CloudFront's addresses, not the client's: use edge.waf.ipAllow / ipDeny, which WAF checks at CloudFront against the viewer's address",
      });
    } else if (gateway.endpoint.type === 'PRIVATE') {
      issues.push({
        path: [...edgeAt, 'resourcePolicy'],
        message:
          'a PRIVATE API is called through VPC endpoints, where aws:SourceIp does not apply; restrict callers with endpoint.vpcEndpointIds and security groups instead',
      });
    }
  }
  gateway.routes.forEach((route, index) => {
    const routeAt = [...at, 'routes', index];
    if (route.cache) {
      if (!cloudfront) {
        issues.push({
          path: [...routeAt, 'cache'],
          message: 'route caching happens in CloudFront: turn on edge.cloudfront for this gateway, or remove cache',
        });
      }
      if (route.methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
        issues.push({
          path: [...routeAt, 'methods'],
          message: `only GET (and HEAD) responses are cached: a cached route lists methods: [GET] (it lists ${route.methods.join(', ')})`,
        });
      }
    }
    const validate = route.validate;
    if (!validate) return;
    // An HTTP API's proxy checks each request by its own method, so ANY is fine there.
    if (route.methods.includes('ANY') && gateway.flavor !== 'http') {
      issues.push({
        path: [...routeAt, 'methods'],
        message: 'request validation is configured per method: list the methods this route serves (e.g. [POST, PUT]) instead of ANY',
      });
    }
    if (validate.body !== undefined) {
      if (!route.methods.includes('ANY') && !route.methods.some((m) => BODY_METHODS.includes(m))) {
        issues.push({
          path: [...routeAt, 'validate', 'body'],
          message: `a body is only validated on ${BODY_METHODS.join(', ')}; this route serves ${route.methods.join(', ')}`,
        });
      }
      const read = readSchemaFile(validate.body, baseDir);
      if ('problem' in read) issues.push({ path: [...routeAt, 'validate', 'body'], message: read.problem });
    }
    if (validate.body === undefined && validate.query.length === 0 && validate.headers.length === 0) {
      issues.push({ path: [...routeAt, 'validate'], message: 'validate needs body, query or headers (or remove it)' });
    }
  });
  return issues;
}
