// Behind CloudFront: the API's own execute-api URL refuses requests that did not come through the distribution.
import type { CheckContext } from '../context';
import { judge } from '../outcome';
import { credentialHeaders, routeRequest, sampleMethod, samplePath } from '../route-requests';
import type { VerifyCheck } from '../types';

export function originVerifyChecks(ctx: CheckContext): VerifyCheck[] {
  const cloudfront = ctx.gateway.edge?.cloudfront;
  if (!cloudfront) return [];
  // The most open route makes the strongest case: if even it refuses, nothing gets past CloudFront.
  const route = ctx.gateway.routes.find((r) => r.features.auth === 'none' && !r.features.apiKey) ?? ctx.gateway.routes[0];
  if (!route) return [];
  const enforcer =
    cloudfront.originVerify.enforcedBy === 'regional-web-acl' ? "the stage's web ACL (403)" : 'the Lambda authorizers (401/403)';
  const expected = cloudfront.originVerify.enforcedBy === 'regional-web-acl' ? [403] : [401, 403];
  const on = `${sampleMethod(route)} ${samplePath(route)}`;
  return [
    {
      id: 'edge.execute-api-refused',
      family: 'edge',
      description: `${on} on the execute-api URL, without CloudFront's ${cloudfront.originVerifyHeader}, is refused by ${enforcer}, credentials or not`,
      ...(ctx.executeApiUrl
        ? {}
        : {
            skip: "give the API's own URL with --execute-api-url (the stack output, https://<id>.execute-api.<region>.amazonaws.com/...)",
          }),
      run: async (client) =>
        judge(
          await client.send({
            ...routeRequest(samplePath(route), sampleMethod(route), credentialHeaders(ctx.gateway, route, ctx.credentials)),
            base: 'execute-api',
          }),
          (s) =>
            expected.includes(s) ? undefined : `expected ${expected.join(' or ')}, got ${s}: the execute-api URL bypasses CloudFront`,
          'refused',
        ),
    },
  ];
}
