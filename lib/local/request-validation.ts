// REST request validators (x-amazon-apigateway-request-validator): required parameters and draft-4 body models, with ajv.
import type { JsonObject } from './definition';
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import type { GatewayResponseType } from './gateway-responses';
import { header, type LocalRequest } from './request';

export interface ValidationFailure {
  readonly type: GatewayResponseType;
  readonly message: string;
}

/** Doc: "Request validation for REST APIs in API Gateway": models are JSON Schema draft 4. */
export class RequestValidation {
  private readonly ajv = new Ajv({ allErrors: false, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  check(definition: JsonObject, op: JsonObject, r: LocalRequest): ValidationFailure | undefined {
    const name = op['x-amazon-apigateway-request-validator'] ?? definition['x-amazon-apigateway-request-validator'];
    if (!name) return undefined;
    const validator = (definition['x-amazon-apigateway-request-validators'] ?? {})[name] as
      { validateRequestBody?: boolean; validateRequestParameters?: boolean } | undefined;
    if (!validator) return undefined;
    const params = (op.parameters ?? []) as JsonObject[];
    if (validator.validateRequestParameters) {
      const query = new URLSearchParams(r.rawQuery);
      const missing = params.filter(
        (p) => p.required && ((p.in === 'header' && !header(r, p.name)) || (p.in === 'query' && !query.has(p.name))),
      );
      if (missing.length)
        return {
          type: 'BAD_REQUEST_PARAMETERS',
          message: `Missing required request parameters: [${missing.map((p) => p.name).join(', ')}]`,
        };
    }
    if (validator.validateRequestBody) {
      const body = params.find((p) => p.in === 'body');
      const ref = body?.schema?.$ref as string | undefined;
      if (!ref) return undefined;
      const validate = this.validatorFor(definition, ref);
      let value: unknown;
      try {
        value = JSON.parse(r.body.toString('utf8'));
      } catch {
        return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body' };
      }
      if (!validate(value)) {
        const e = validate.errors?.[0];
        return { type: 'BAD_REQUEST_BODY', message: `Invalid request body${e ? `: ${e.instancePath || '/'} ${e.message}` : ''}` };
      }
    }
    return undefined;
  }

  private validatorFor(definition: JsonObject, ref: string): ValidateFunction {
    let v = this.compiled.get(ref);
    if (!v) {
      const name = ref.replace(/^#\/definitions\//, '');
      const schema = { ...(definition.definitions?.[name] ?? {}), definitions: definition.definitions ?? {} };
      v = this.ajv.compile(JSON.parse(JSON.stringify(schema).replace(/#\/definitions\//g, '#/definitions/')));
      this.compiled.set(ref, v);
    }
    return v;
  }
}
