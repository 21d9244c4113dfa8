// headersOf: a payload 1.0 event's two header maps as one map with lower-case names and every value, for the proxy and the aggregator alike.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { headersOf } from '../../../../lambdas/shared/apigw/request-headers';

function event(
  headers: APIGatewayProxyEvent['headers'] | null,
  multiValueHeaders: APIGatewayProxyEvent['multiValueHeaders'] | null,
): APIGatewayProxyEvent {
  return { headers, multiValueHeaders } as unknown as APIGatewayProxyEvent;
}

describe('GIVEN an event with single- and multi-value headers', () => {
  it('WHEN a name is in both maps THEN the multi-value list wins and keeps every copy', () => {
    const headers = headersOf(event({ Accept: 'text/html' }, { accept: ['application/json', 'text/plain'] }));
    expect(headers).toEqual({ accept: ['application/json', 'text/plain'] });
  });

  it('WHEN a name is only in the single-value map THEN it fills the gap, lower-cased', () => {
    expect(headersOf(event({ 'X-Request-Id': 'r-1' }, {}))).toEqual({ 'x-request-id': ['r-1'] });
  });

  it('WHEN the multi-value map spells one name in two cases THEN the values are merged in order', () => {
    expect(headersOf(event({}, { 'Set-Cookie': ['a=1'], 'set-cookie': ['b=2'] }))).toEqual({ 'set-cookie': ['a=1', 'b=2'] });
  });

  it('WHEN the event has no header maps THEN the result is empty', () => {
    expect(headersOf(event(null, null))).toEqual({});
  });

  it('WHEN a client sends a header named __proto__ THEN it is an ordinary own name and no prototype changes', () => {
    const headers = headersOf(
      event(
        { __proto__: 'x' } as unknown as APIGatewayProxyEvent['headers'],
        JSON.parse('{"__proto__":["y"]}') as APIGatewayProxyEvent['multiValueHeaders'],
      ),
    );
    expect(Object.hasOwn(headers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.entries(headers)).toEqual([['__proto__', ['y']]]);
  });
});
