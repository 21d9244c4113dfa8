// Route overlap rules: one route per method and resource, parameter names that API Gateway can hold, at file:line.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load';
import { catchSpecError } from './fixtures';

const yaml = (...routes: string[]): string =>
  [
    'services:',
    '  reader: { url: "https://read.example.com" }',
    '  writer: { url: "https://write.example.com" }',
    'gateways:',
    '  public:',
    '    routes:',
    ...routes.map((r) => `      - ${r}`),
    '',
  ].join('\n');

const issuesOf = (...routes: string[]) => catchSpecError(() => parseConfig(yaml(...routes), 'gw.yaml')).issues;

describe('route overlaps', () => {
  it('GIVEN GET /users/{id} and GET /users/{uid} WHEN loaded THEN the second path is an error at its line naming the first route, whatever the parameter names', () => {
    const issues = issuesOf(
      '{ name: by-id, service: reader, paths: ["/users/{id}"], methods: [GET], match: exact }',
      '{ service: writer, paths: ["/users/{uid}"], methods: [GET], match: exact }',
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        file: 'gw.yaml',
        line: 8,
        where: 'gateways.public.routes[1].paths[0]',
        message: expect.stringMatching(
          /^GET \/users\/\{uid\} is already routed by routes\[0\] \("by-id"\) \(GET \/users\/\{id\}; parameter names do not matter, API Gateway sees one resource\)/,
        ),
      }),
    );
  });

  it('GIVEN ANY on a path and POST on the same path WHEN loaded THEN ANY conflicts with the other method', () => {
    const issues = issuesOf('{ service: reader, paths: [/orders] }', '{ service: writer, paths: [/orders], methods: [POST] }');
    expect(issues.map((i) => [i.where, i.line])).toEqual([['gateways.public.routes[1].paths[0]', 8]]);
    expect(issues[0]!.message).toMatch(/^POST \/orders is already routed by routes\[0\] \(ANY \/orders\)/);
  });

  it('GIVEN GET /orders to a read service and POST /orders to a write service WHEN loaded THEN it is accepted (CQRS)', () => {
    const spec = parseConfig(
      yaml('{ service: reader, paths: [/orders], methods: [GET] }', '{ service: writer, paths: [/orders], methods: [POST] }'),
    );
    expect(spec.gateways.public!.routes.map((r) => [r.service, r.methods])).toEqual([
      ['reader', ['GET']],
      ['writer', ['POST']],
    ]);
  });

  it('GIVEN a prefix route /users and a route /users/{id} on a REST API WHEN loaded THEN {id} next to the implicit {proxy+} is refused as API Gateway refuses it; exact /users or an HTTP API accepts it', () => {
    const issues = issuesOf('{ service: reader, paths: [/users] }', '{ service: writer, paths: ["/users/{id}"], methods: [GET] }');
    expect(issues).toEqual([
      expect.objectContaining({
        line: 8,
        where: 'gateways.public.routes[1].paths[0]',
        message: expect.stringMatching(
          /^\{id\} in \/users\/\{id\} and \{proxy\+\} in \/users\/\{proxy\+\} \(routes\[0\], below its prefix \/users\) are two variable resources under \/users, which a REST API refuses/,
        ),
      }),
    ]);
    expect(() =>
      parseConfig(yaml('{ service: reader, paths: [/users], match: exact }', '{ service: writer, paths: ["/users/{id}"] }')),
    ).not.toThrow();
    expect(() =>
      parseConfig(
        yaml('{ service: reader, paths: [/users] }', '{ service: writer, paths: ["/users/{id}"] }').replace(
          '  public:\n',
          '  public:\n    flavor: http\n',
        ),
      ),
    ).not.toThrow();
  });

  it('GIVEN a prefix route /users and a route /users/{rest+} WHEN loaded THEN the greedy child is claimed twice and named twice', () => {
    const messages = issuesOf('{ service: reader, paths: [/users] }', '{ service: writer, paths: ["/users/{rest+}"] }').map(
      (i) => i.message,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ANY \/users\/\{rest\+\} is already routed by routes\[0\] \(ANY \/users\/\{proxy\+\}, below its prefix \/users\)/,
        ),
        expect.stringMatching(
          /\{rest\+\} in \/users\/\{rest\+\} and \{proxy\+\} in \/users\/\{proxy\+\} \(routes\[0\]\) are the same API Gateway resource under two names.*set match: exact on it/,
        ),
      ]),
    );
  });

  it('GIVEN match: exact on /users WHEN a route claims /users/{rest+} THEN it is accepted', () => {
    expect(() =>
      parseConfig(yaml('{ service: reader, paths: [/users], match: exact }', '{ service: writer, paths: ["/users/{rest+}"] }')),
    ).not.toThrow();
  });

  it('GIVEN /users/{id} and /users/{uid}/keys on different methods WHEN loaded THEN the sibling names are an error at the second path', () => {
    const issues = issuesOf(
      '{ service: reader, paths: ["/users/{id}"], methods: [GET], match: exact }',
      '{ service: writer, paths: ["/users/{uid}/keys"], methods: [POST], match: exact }',
    );
    expect(issues).toEqual([
      expect.objectContaining({
        line: 8,
        where: 'gateways.public.routes[1].paths[0]',
        message: expect.stringMatching(
          /\{uid\} in \/users\/\{uid\}\/keys and \{id\} in \/users\/\{id\} \(routes\[0\]\) are the same API Gateway resource under two names, which API Gateway refuses: use one name at \/users\/\{\}/,
        ),
      }),
    ]);
  });

  it('GIVEN a prefix route whose path has a parameter named proxy WHEN loaded THEN it says the implicit {proxy+} takes that name', () => {
    const issues = issuesOf('{ service: reader, paths: ["/users/{proxy}"] }');
    expect(issues).toEqual([
      expect.objectContaining({
        where: 'gateways.public.routes[0].paths[0]',
        message: expect.stringMatching(/parameter name "proxy", which a prefix route's implicit \{proxy\+\} child takes/),
      }),
    ]);
    expect(() => parseConfig(yaml('{ service: reader, paths: ["/users/{proxy}"], match: exact }'))).not.toThrow();
  });

  it('GIVEN a route without match WHEN loaded THEN it defaults to prefix', () => {
    expect(parseConfig(yaml('{ service: reader, paths: [/users] }')).gateways.public!.routes[0]!.match).toBe('prefix');
  });
});
