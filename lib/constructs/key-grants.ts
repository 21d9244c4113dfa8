// The IAM permissions `gatehouse keys` needs (create, list, rotate, revoke, enforce-expiry) over one Gatehouse's usage plans.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * API Gateway authorizes its management API by HTTP verb on resource paths: `apigateway:GET|POST|PATCH|DELETE`
 * on `arn:{partition}:apigateway:{region}::/apikeys/{id}`, `/usageplans/{id}/keys/{keyId}` (Service Authorization
 * Reference, "Actions, resources, and condition keys for Amazon API Gateway Management"). API key ids are not
 * known before a key exists, so keys are granted by pattern; usage plans are this Gatehouse's own.
 */
export function grantManageKeys(scope: IConstruct, grantee: iam.IGrantable, usagePlanIds: readonly string[]): iam.Grant {
  const { partition, region } = Stack.of(scope);
  const arn = (path: string) => `arn:${partition}:apigateway:${region}::${path}`;
  return iam.Grant.addToPrincipal({
    grantee,
    // GET lists keys and plans; POST creates keys and attaches them to plans; PATCH disables keys and updates
    // their tags; DELETE revokes keys.
    actions: ['apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
    resourceArns: [
      arn('/apikeys'),
      arn('/apikeys/*'),
      // `gatehouse keys` finds a gateway's plans by listing them.
      arn('/usageplans'),
      ...usagePlanIds.flatMap((id) => [arn(`/usageplans/${id}/keys`), arn(`/usageplans/${id}/keys/*`)]),
    ],
  });
}
