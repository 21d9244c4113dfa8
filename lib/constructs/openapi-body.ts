// Where an API's OpenAPI document goes in the template: inline in `Body` while small, an S3 asset in `BodyS3Location` above a threshold.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { internalError } from './validation-error';

/**
 * Largest document kept inline in the template, in bytes of JSON. CloudFormation refuses templates over 1 MB
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html); a stack holds
 * several gateways besides its Lambdas and alarms, so one document may take at most a fifth of that.
 */
export const INLINE_BODY_MAX_BYTES = 200_000;

/** The `Body` / `BodyS3Location` pair of an `AWS::ApiGatewayV2::Api`. */
export interface PlacedBody {
  readonly body?: unknown;
  readonly bodyS3Location?: { readonly bucket: string; readonly key: string };
  /** The asset holding the document, when it is not inline. */
  readonly asset?: s3assets.Asset;
  /** How the document was placed, for `explain`-style summaries and tests. */
  readonly placement: 'inline' | 's3';
  /** Size of the resolved inline document in bytes of JSON (what decided the placement). */
  readonly bytes: number;
}

/**
 * Inline below `maxInlineBytes`, where the document may hold CloudFormation references (function ARNs). Above it,
 * `forS3()` renders the document again for an S3 asset in `BodyS3Location` (a file in `cdk.out/` for review):
 * CloudFormation resolves nothing in that file, so it must name functions by fixed names and the variables API
 * Gateway resolves on import (https://docs.aws.amazon.com/apigateway/latest/developerguide/import-api-aws-variables.html).
 */
export function placeOpenApiBody(
  scope: Construct,
  id: string,
  document: object,
  forS3: () => object,
  maxInlineBytes = INLINE_BODY_MAX_BYTES,
): PlacedBody {
  const stack = Stack.of(scope);
  const bytes = Buffer.byteLength(JSON.stringify(stack.resolve(document)));
  if (bytes <= maxInlineBytes) return { body: document, placement: 'inline', bytes };
  const asset = new s3assets.Asset(scope, id, { path: writeOpenApiFile(scope, forS3(), 'openapi.json') });
  return { bodyS3Location: { bucket: asset.s3BucketName, key: asset.s3ObjectKey }, asset, placement: 's3', bytes };
}

/**
 * Writes a document bound for S3 (REST `BodyS3Location` through `ApiDefinition.fromAsset`, or an HTTP API's) to a
 * file named after its content, and returns the path. CloudFormation resolves nothing in such a file, so a
 * reference left in it is a Gatehouse bug.
 */
export function writeOpenApiFile(scope: Construct, document: object, fileName: string): string {
  const resolved: unknown = Stack.of(scope).resolve(document);
  if (hasReferences(resolved))
    throw internalError(`the S3 definition of ${scope.node.path} holds a CloudFormation reference, which nothing would resolve`);
  const json = JSON.stringify(resolved);
  const dir = join(tmpdir(), `gatehouse-openapi-${createHash('sha256').update(json).digest('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, fileName);
  writeFileSync(file, json);
  return file;
}

/** Whether a resolved value holds CloudFormation intrinsics (`Ref`, `Fn::…`). */
function hasReferences(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasReferences);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === 'Ref' || k.startsWith('Fn::') || hasReferences(v));
  }
  return false;
}
