// Where an API's OpenAPI document goes in the template: inline in `Body` while small, an S3 asset above a threshold.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';

/**
 * Largest document kept inline in the template, in bytes of JSON. CloudFormation refuses templates over 1 MB
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html); a stack holds
 * several gateways besides its Lambdas and alarms, so one document may take at most a fifth of that.
 */
export const INLINE_BODY_MAX_BYTES = 200_000;

/** The `Body` / `BodyS3Location` pair of an `AWS::ApiGatewayV2::Api` or `AWS::ApiGateway::RestApi`. */
export interface PlacedBody {
  readonly body?: unknown;
  readonly bodyS3Location?: { readonly bucket: string; readonly key: string };
  /** The asset holding the document, when it is not inline. */
  readonly asset?: s3assets.Asset;
  /** How the document was placed, for `explain`-style summaries and tests. */
  readonly placement: 'inline' | 's3' | 's3-include';
  /** Size of the resolved document in bytes of JSON. */
  readonly bytes: number;
}

/**
 * Inline below `maxInlineBytes`. Above it the document becomes an S3 asset (a file in `cdk.out/` either way for
 * review): `BodyS3Location` when the document is plain JSON; when it refers to other resources (function ARNs,
 * which a file in S3 cannot resolve), `Body` takes it through the `AWS::Include` transform, which inserts the file
 * into the template before the references are resolved:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-include.html
 */
export function placeOpenApiBody(scope: Construct, id: string, document: object, maxInlineBytes = INLINE_BODY_MAX_BYTES): PlacedBody {
  const resolved = Stack.of(scope).resolve(document) as object;
  const json = JSON.stringify(resolved);
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxInlineBytes) return { body: document, placement: 'inline', bytes };
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-openapi-'));
  const file = join(dir, 'openapi.json');
  writeFileSync(file, json);
  const asset = new s3assets.Asset(scope, id, { path: file });
  if (!hasReferences(resolved)) {
    return { bodyS3Location: { bucket: asset.s3BucketName, key: asset.s3ObjectKey }, asset, placement: 's3', bytes };
  }
  return { body: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: asset.s3ObjectUrl } } }, asset, placement: 's3-include', bytes };
}

/** Whether a resolved value holds CloudFormation intrinsics (`Ref`, `Fn::…`). */
function hasReferences(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasReferences);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === 'Ref' || k.startsWith('Fn::') || hasReferences(v));
  }
  return false;
}
