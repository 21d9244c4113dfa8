// REST gateway responses and request validators, read from a definition as it ships.
import { describe, expect, it } from 'vitest';
import { gatewayResponse } from '../../lib/local/gateway-responses';
import type { LocalRequest } from '../../lib/local/request';
import { RequestValidation } from '../../lib/local/request-validation';

const ctx = { requestId: 'req-1', requestHeader: (name: string) => (name === 'Origin' ? 'https://app.example.com' : undefined) };

describe('gatewayResponse', () => {
  const definition = {
    'x-amazon-apigateway-gateway-responses': {
      DEFAULT_4XX: {
        responseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
          'gatewayresponse.header.X-Echo-Origin': 'method.request.header.Origin',
        },
      },
      UNAUTHORIZED: {
        statusCode: '401',
        responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
        responseTemplates: { 'application/json': '{"message":"Unauthorized","id":"$context.requestId"}' },
      },
    },
  };

  it('GIVEN a type with its own response THEN its status, headers and template, over the DEFAULT_4XX headers', () => {
    const r = gatewayResponse(definition, 'UNAUTHORIZED', ctx);
    expect(r.status).toBe(401);
    expect(r.headers).toMatchObject({
      'WWW-Authenticate': 'Bearer',
      'Access-Control-Allow-Origin': 'https://app.example.com',
      'X-Echo-Origin': 'https://app.example.com',
    });
    expect(JSON.parse(r.body.toString())).toEqual({ message: 'Unauthorized', id: 'req-1' });
  });

  it('GIVEN a type without its own response THEN the default status and message, with the family headers', () => {
    const r = gatewayResponse(definition, 'MISSING_AUTHENTICATION_TOKEN', ctx);
    expect([r.status, JSON.parse(r.body.toString())]).toEqual([403, { message: 'Missing Authentication Token' }]);
    expect(r.headers['Access-Control-Allow-Origin']).toBe('https://app.example.com');
  });

  it('GIVEN a 5XX type and no DEFAULT_5XX THEN no 4XX headers leak onto it', () => {
    const r = gatewayResponse(definition, 'INTEGRATION_TIMEOUT', ctx);
    expect([r.status, JSON.parse(r.body.toString())]).toEqual([504, { message: 'Endpoint request timed out' }]);
    expect(r.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });
});

describe('RequestValidation', () => {
  const definition = {
    definitions: { Order: { type: 'object', required: ['qty'], properties: { qty: { type: 'integer', minimum: 1 } } } },
    'x-amazon-apigateway-request-validators': {
      all: { validateRequestBody: true, validateRequestParameters: true },
      none: { validateRequestBody: false, validateRequestParameters: false },
    },
  };
  const op = (validator: string) => ({
    'x-amazon-apigateway-request-validator': validator,
    parameters: [
      { in: 'body', name: 'Order', schema: { $ref: '#/definitions/Order' } },
      { in: 'header', name: 'X-Tenant', required: true },
    ],
  });
  const request = (body: string, headers: Record<string, string> = { 'X-Tenant': 't1' }) =>
    ({ headers, rawQuery: '', body: Buffer.from(body) }) as unknown as LocalRequest;
  const validation = new RequestValidation();

  it('GIVEN a body that fits the draft-4 model and the required header THEN it passes', () => {
    expect(validation.check(definition, op('all'), request('{"qty":2}'))).toBeUndefined();
  });

  it('GIVEN a body against the model or not JSON THEN BAD_REQUEST_BODY naming the field', () => {
    expect(validation.check(definition, op('all'), request('{"qty":0}'))).toEqual({
      type: 'BAD_REQUEST_BODY',
      message: 'Invalid request body: /qty must be >= 1',
    });
    expect(validation.check(definition, op('all'), request('not json'))).toMatchObject({ type: 'BAD_REQUEST_BODY' });
  });

  it('GIVEN a missing required header THEN BAD_REQUEST_PARAMETERS naming it', () => {
    expect(validation.check(definition, op('all'), request('{"qty":2}', {}))).toEqual({
      type: 'BAD_REQUEST_PARAMETERS',
      message: 'Missing required request parameters: [X-Tenant]',
    });
  });

  it('GIVEN a validator that checks nothing, or no validator THEN anything passes', () => {
    expect(validation.check(definition, op('none'), request('nope', {}))).toBeUndefined();
    expect(validation.check(definition, { parameters: [] }, request('nope', {}))).toBeUndefined();
  });
});
