// The edge section and routes' validate/cache options: every validation branch, each with the field path it names.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../lib/config/load';
import { expectIssue, expectOnlyIssue, minimalSpec, patched, specWith } from './fixtures';

const gw = ['gateways', 'public'] as const;
const edge = [...gw, 'edge'] as const;
const route0 = [...gw, 'routes', 0] as const;
const cf = { domain: 'api.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' };

/** A config file and a schema next to it, in a fresh directory: paths in the config are relative to it. */
function configDir(schema: string | undefined, routeExtra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-edge-'));
  mkdirSync(join(dir, 'schemas'));
  if (schema !== undefined) writeFileSync(join(dir, 'schemas', 'order.json'), schema);
  writeFileSync(
    join(dir, 'gatehouse.yaml'),
    `services:\n  orders: { url: https://orders.internal }\ngateways:\n  public:\n    routes:\n      - service: orders\n        paths: [/api/orders]\n${routeExtra}`,
  );
  return join(dir, 'gatehouse.yaml');
}

describe('edge.waf fields', () => {
  it('GIVEN a waf section with nothing else WHEN validated THEN the four default managed presets and logs are applied', () => {
    const spec = validateConfig(specWith([[...edge, 'waf'], {}]));
    expect(spec.gateways.public!.edge!.waf).toEqual({
      managedRules: ['common', 'knownBadInputs', 'sqli', 'ipReputation'],
      logs: { enabled: true, retentionDays: 30 },
    });
  });

  it.each([
    [{ managedRules: ['comon'] }, 'managedRules[0]', /a managed rule preset is one of common, knownBadInputs/],
    [{ managedRules: ['common', 'common'] }, 'managedRules', /listed twice/],
    [{ rateLimitPerIp: { limit: 5 } }, 'rateLimitPerIp.limit', /smallest rate limit is 10/],
    [{ rateLimitPerIp: { limit: 100, windowSeconds: 30 } }, 'rateLimitPerIp.windowSeconds', /one of WAF's windows: 60, 120, 300, 600/],
    [{ ipDeny: ['10.0.0.1'] }, 'ipDeny[0]', /has no prefix length: write 10.0.0.1\/32/],
    [{ ipDeny: ['2001:db8::1'] }, 'ipDeny[0]', /write 2001:db8::1\/128/],
    [{ ipAllow: ['10.0.0.0/0'] }, 'ipAllow[0]', /prefix length of an IPv4 range is 1 to 32/],
    [{ ipAllow: ['2001:db8::/129'] }, 'ipAllow[0]', /IPv6 range is 1 to 128/],
    [{ ipAllow: ['300.1.1.1/32'] }, 'ipAllow[0]', /not a CIDR range/],
    [{ ipAllow: [] }, 'ipAllow', /at least one range/],
    [{ geoBlock: ['XX'] }, 'geoBlock[0]', /"XX" is not an ISO 3166-1 alpha-2 country code/],
    [{ geoBlock: ['de'] }, 'geoBlock[0]', /not an ISO 3166-1 alpha-2/],
    [{ maxBodyBytes: 1_048_576 }, 'maxBodyBytes', /WAF inspects at most 65536 bytes of a body/],
    [{ userAgentDeny: { regex: Array(11).fill('bot') } }, 'userAgentDeny.regex', /at most 10 patterns/],
    [{ logs: { retentionDays: 2 } }, 'logs.retentionDays', /one of CloudWatch Logs' values/],
  ])('GIVEN waf %j WHEN validated THEN edge.waf.%s says why', (waf, field, message) => {
    expectOnlyIssue(() => validateConfig(specWith([[...edge, 'waf'], waf])), `gateways.public.edge.waf.${field}`, message);
  });

  it('GIVEN IPv4 and IPv6 ranges, countries and a 64 KB body limit WHEN validated THEN they are accepted', () => {
    expect(() =>
      validateConfig(
        specWith([[...edge, 'waf'], { ipAllow: ['192.0.2.0/24', '2001:db8::/32'], geoBlock: ['KP', 'US'], maxBodyBytes: 65_536 }]),
      ),
    ).not.toThrow();
  });

  it('GIVEN a misspelled field in waf WHEN validated THEN did-you-mean names the field', () => {
    expectIssue(
      () => validateConfig(specWith([[...edge, 'waf'], { geoblock: ['KP'] }])),
      'gateways.public.edge.waf.geoblock',
      /did you mean "geoBlock"/,
    );
  });
});

describe('edge.cloudfront fields and rules', () => {
  it.each([
    [
      { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', domain: 'api.example.com' },
      'certificateArn',
      /only uses ACM certificates from us-east-1/,
    ],
    [{ certificateArn: 'not-an-arn', domain: 'api.example.com' }, 'certificateArn', /an ACM certificate ARN/],
    [{ domain: 'API.example.com', certificateArn: cf.certificateArn }, 'domain', /lower-case host name/],
    [{ priceClass: 300 }, 'priceClass', /100, 200 or All/],
  ])('GIVEN cloudfront %j WHEN validated THEN edge.cloudfront.%s says why', (cloudfront, field, message) => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...edge, 'cloudfront'], cloudfront])),
      `gateways.public.edge.cloudfront.${field}`,
      message,
    );
  });

  it('GIVEN a domain without a certificate WHEN validated THEN certificateArn is asked for', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...edge, 'cloudfront'], { domain: 'api.example.com' }])),
      'gateways.public.edge.cloudfront.certificateArn',
      /needs both domain and certificateArn/,
    );
  });

  it('GIVEN a certificate without a domain WHEN validated THEN domain is asked for', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...edge, 'cloudfront'], { certificateArn: cf.certificateArn }])),
      'gateways.public.edge.cloudfront.domain',
      /needs both/,
    );
  });

  it('GIVEN CloudFront on a PRIVATE API WHEN validated THEN cloudfront.enabled says CloudFront cannot reach it', () => {
    expectOnlyIssue(
      () =>
        validateConfig(specWith([[...gw, 'endpoint'], { type: 'PRIVATE', vpcEndpointIds: ['vpce-0abc'] }], [[...edge, 'cloudfront'], {}])),
      'gateways.public.edge.cloudfront.enabled',
      /CloudFront cannot reach a PRIVATE API/,
    );
  });

  it('GIVEN resource-policy IP lists behind CloudFront WHEN validated THEN edge.resourcePolicy points to the WAF lists', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...edge, 'cloudfront'], {}], [[...edge, 'resourcePolicy'], { ipAllow: ['192.0.2.0/24'] }])),
      'gateways.public.edge.resourcePolicy',
      /use edge.waf.ipAllow \/ ipDeny/,
    );
  });

  it('GIVEN resource-policy IP lists on a PRIVATE API WHEN validated THEN edge.resourcePolicy says aws:SourceIp does not apply', () => {
    expectOnlyIssue(
      () =>
        validateConfig(
          specWith(
            [[...gw, 'endpoint'], { type: 'PRIVATE', vpcEndpointIds: ['vpce-0abc'] }],
            [[...edge, 'resourcePolicy'], { ipDeny: ['192.0.2.0/24'] }],
          ),
        ),
      'gateways.public.edge.resourcePolicy',
      /aws:SourceIp does not apply/,
    );
  });

  it('GIVEN edge on an existing config without it WHEN validated THEN nothing changes (edge stays undefined)', () => {
    expect(validateConfig(minimalSpec()).gateways.public!.edge).toBeUndefined();
  });
});

describe('edge.mtls', () => {
  const mtls = {
    domain: 'partners.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    truststoreUri: 's3://truststore-bucket/ca.pem',
  };

  it("GIVEN mtls with CloudFront WHEN validated THEN edge.mtls says CloudFront ends the client's TLS", () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...edge, 'mtls'], mtls], [[...edge, 'cloudfront'], {}])),
      'gateways.public.edge.mtls',
      /never sees a client certificate/,
    );
  });

  it('GIVEN mtls on an EDGE endpoint WHEN validated THEN edge.mtls says REGIONAL only', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...edge, 'mtls'], mtls], [[...gw, 'endpoint'], { type: 'EDGE' }])),
      'gateways.public.edge.mtls',
      /REGIONAL custom domains only \(this gateway is EDGE\)/,
    );
  });

  it('GIVEN a truststore that is not an s3:// URI WHEN validated THEN edge.mtls.truststoreUri says how it looks', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...edge, 'mtls'], { ...mtls, truststoreUri: 'https://example.com/ca.pem' }])),
      'gateways.public.edge.mtls.truststoreUri',
      /s3:\/\/bucket\/key/,
    );
  });
});

describe('route cache', () => {
  it('GIVEN cache on a route of a gateway without CloudFront WHEN validated THEN routes[0].cache asks for edge.cloudfront', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...route0, 'methods'], ['GET']], [[...route0, 'cache'], { ttlSeconds: 60 }])),
      'gateways.public.routes[0].cache',
      /caching happens in CloudFront: turn on edge.cloudfront/,
    );
  });

  it('GIVEN cache on a route that serves POST WHEN validated THEN routes[0].methods says only GET is cached', () => {
    expectOnlyIssue(
      () =>
        validateConfig(
          specWith(
            [[...edge, 'cloudfront'], {}],
            [
              [...route0, 'methods'],
              ['GET', 'POST'],
            ],
            [[...route0, 'cache'], { ttlSeconds: 60 }],
          ),
        ),
      'gateways.public.routes[0].methods',
      /only GET \(and HEAD\) responses are cached/,
    );
  });

  it("GIVEN eleven cache-key headers WHEN validated THEN cache.keyHeaders names CloudFront's limit", () => {
    expectIssue(
      () =>
        validateConfig(
          specWith(
            [[...edge, 'cloudfront'], {}],
            [[...route0, 'methods'], ['GET']],
            [[...route0, 'cache'], { ttlSeconds: 60, keyHeaders: Array(11).fill('X-A') }],
          ),
        ),
      'gateways.public.routes[0].cache.keyHeaders',
      /at most 10 headers/,
    );
  });
});

describe('route validate', () => {
  it('GIVEN validate on a route with the default ANY WHEN validated THEN routes[0].methods asks for the methods', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...route0, 'validate'], { query: ['page'] }])),
      'gateways.public.routes[0].methods',
      /validation is configured per method: list the methods/,
    );
  });

  it('GIVEN an empty validate WHEN validated THEN routes[0].validate asks for body, query or headers', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...route0, 'methods'], ['GET']], [[...route0, 'validate'], {}])),
      'gateways.public.routes[0].validate',
      /needs body, query or headers/,
    );
  });

  it('GIVEN a bad header name WHEN validated THEN validate.headers[0] says how header names look', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...route0, 'methods'], ['GET']], [[...route0, 'validate'], { headers: ['X Bad'] }])),
      'gateways.public.routes[0].validate.headers[0]',
      /header name/,
    );
  });

  it('GIVEN a body schema file next to the config WHEN loaded from another directory THEN it resolves against the config file', () => {
    const file = configDir(
      '{"type":"object","required":["sku"]}',
      '        methods: [POST]\n        validate: { body: schemas/order.json }\n',
    );
    const spec = loadConfig(file);
    expect(spec.gateways.public!.routes[0]!.validate!.body).toBe(join(file, '..', 'schemas', 'order.json'));
  });

  it('GIVEN a missing schema file WHEN loaded THEN validate.body names the file and where paths are relative to, with the YAML line', () => {
    const file = configDir(undefined, '        methods: [POST]\n        validate: { body: schemas/order.json }\n');
    const issue = expectOnlyIssue(
      () => loadConfig(file),
      'gateways.public.routes[0].validate.body',
      /schemas\/order.json not found \(paths are relative to the config file's directory/,
    );
    expect(issue.line).toBe(9);
  });

  it('GIVEN a schema file that is not JSON WHEN loaded THEN validate.body says so', () => {
    const file = configDir('{ nope', '        methods: [POST]\n        validate: { body: schemas/order.json }\n');
    expectOnlyIssue(() => loadConfig(file), 'gateways.public.routes[0].validate.body', /is not readable JSON/);
  });

  it('GIVEN a schema file holding an array WHEN loaded THEN validate.body says it is not a JSON Schema', () => {
    const file = configDir('[1,2]', '        methods: [POST]\n        validate: { body: schemas/order.json }\n');
    expectOnlyIssue(() => loadConfig(file), 'gateways.public.routes[0].validate.body', /is not a JSON Schema/);
  });

  it('GIVEN a schema with an unknown type WHEN loaded THEN validate.body says it is not a valid draft 4 schema and why', () => {
    const file = configDir(
      '{"type":"object","properties":{"sku":{"type":"text"}}}',
      '        methods: [POST]\n        validate: { body: schemas/order.json }\n',
    );
    expectOnlyIssue(
      () => loadConfig(file),
      'gateways.public.routes[0].validate.body',
      /is not a valid JSON Schema \(draft 4\): .*properties\/sku\/type/,
    );
  });

  it('GIVEN a draft 2020-12 schema WHEN loaded THEN validate.body says API Gateway validates draft 4', () => {
    const file = configDir(
      '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}',
      '        methods: [POST]\n        validate: { body: schemas/order.json }\n',
    );
    expectOnlyIssue(() => loadConfig(file), 'gateways.public.routes[0].validate.body', /JSON Schema draft 4/);
  });

  it('GIVEN a body schema on a GET-only route WHEN loaded THEN validate.body says bodies are validated on POST, PUT, PATCH', () => {
    const file = configDir('{"type":"object"}', '        methods: [GET]\n        validate: { body: schemas/order.json }\n');
    expectOnlyIssue(() => loadConfig(file), 'gateways.public.routes[0].validate.body', /only validated on POST, PUT, PATCH/);
  });

  it('GIVEN a spec object with a relative schema path WHEN validated THEN it resolves against the working directory', () => {
    const spec = validateConfig(
      patched(minimalSpec(), [[...route0, 'methods'], ['POST']], [[...route0, 'validate'], { body: 'examples/schemas/order.json' }]),
    );
    expect(spec.gateways.public!.routes[0]!.validate!.body).toBe(join(process.cwd(), 'examples/schemas/order.json'));
  });
});

describe('account.region', () => {
  it('GIVEN a region that is not an AWS region code WHEN validated THEN account.region says how one looks', () => {
    expectOnlyIssue(
      () => validateConfig(patched(minimalSpec(), [['account', 'region'], 'Ireland'])),
      'account.region',
      /AWS region code such as eu-west-1/,
    );
  });
});
