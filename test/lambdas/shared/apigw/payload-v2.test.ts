// servingBothPayloads: one payload 1.0 core behind both API flavors; a 2.0 event goes in as 1.0 and its result comes back as 2.0.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { servingBothPayloads, type HttpApiEvent } from '../../../../lambdas/shared/apigw/payload-v2';

const v2Event = {
  version: '2.0',
  routeKey: 'GET /api/users/{proxy+}',
  rawPath: '/api/users/42',
  rawQueryString: 'a=1&a=2',
  cookies: ['s=1', 't=2'],
  headers: { 'X-Name': 'v' },
  isBase64Encoded: false,
  requestContext: { requestId: 'req-2', http: { method: 'GET', path: '/api/users/42', sourceIp: '10.0.0.1', userAgent: 'ua' } },
} as unknown as HttpApiEvent;

const v1Event = {
  httpMethod: 'GET',
  resource: '/api',
  path: '/api',
  requestContext: { requestId: 'req-1' },
} as unknown as APIGatewayProxyEvent;

const answer: APIGatewayProxyResult = {
  statusCode: 201,
  multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'], vary: ['Origin', 'Accept-Encoding'] },
  body: '{}',
  isBase64Encoded: false,
};

describe('GIVEN a 1.0 core wrapped by servingBothPayloads', () => {
  it('WHEN a 1.0 event arrives THEN the core gets it as it is and its result goes back untouched', async () => {
    const seen: APIGatewayProxyEvent[] = [];
    const handler = servingBothPayloads(async (event) => (seen.push(event), answer));
    expect(await handler(v1Event)).toBe(answer);
    expect(seen).toEqual([v1Event]);
  });

  it('WHEN a 2.0 event arrives THEN the core reads it in the 1.0 shape and the client gets a 2.0 result', async () => {
    const seen: APIGatewayProxyEvent[] = [];
    const handler = servingBothPayloads(async (event) => (seen.push(event), answer));
    const result = await handler(v2Event);
    expect(seen[0]).toMatchObject({
      httpMethod: 'GET',
      resource: '/api/users/{proxy+}',
      path: '/api/users/42',
      multiValueHeaders: { 'x-name': ['v'], cookie: ['s=1; t=2'] },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      queryStringParameters: { a: '2' },
    });
    expect(result).toEqual({
      statusCode: 201,
      headers: { vary: 'Origin, Accept-Encoding' },
      cookies: ['a=1', 'b=2'],
      body: '{}',
      isBase64Encoded: false,
    });
  });

  it('WHEN the handler brings its own 2.0 reader THEN that reader, not the default, shapes the event', async () => {
    const seen: APIGatewayProxyEvent[] = [];
    const handler = servingBothPayloads(
      async (event) => (seen.push(event), answer),
      () => v1Event,
    );
    await handler(v2Event);
    expect(seen).toEqual([v1Event]);
  });
});
