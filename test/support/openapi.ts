// Validates a generated OpenAPI / Swagger document against the official schema of its version,
// because API Gateway only rejects an invalid import at deploy time.
import { Validator } from '@seriousme/openapi-schema-validator';

/** Validation errors of `document` (empty when it is a valid Swagger 2.0 or OpenAPI 3.x document). */
export async function openApiErrors(document: object): Promise<string[]> {
  const validator = new Validator();
  // The validator keeps a reference and may annotate; hand it a copy so the caller's object stays as rendered.
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
  if (result.valid) return [];
  const errors = Array.isArray(result.errors) ? result.errors : [result.errors];
  return errors.map((error) => (typeof error === 'string' ? error : JSON.stringify(error)));
}
