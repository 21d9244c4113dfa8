// Planner errors and warnings point at the config file (file:line:col); acknowledge: sets reviewed warnings apart.
import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';
import { catchSpecError } from '../config/fixtures';

const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;

describe('positions of planner problems', () => {
  it("GIVEN a stage rate above the account's WHEN planned THEN the error is at the rate's line", () => {
    const spec = parseConfig(
      lines(
        'services:',
        '  users: { url: "https://u.example.com" }',
        'gateways:',
        '  public:',
        '    stage:',
        '      throttle: { rate: 20000, burst: 100 }',
        '    routes: [{ service: users, paths: [/a] }]',
      ),
      'gw.yaml',
    );
    const err = catchSpecError(() => planSpec(spec));
    expect(err.issues[0]).toMatchObject({ file: 'gw.yaml', line: 6, column: 19, where: 'gateways.public.stage.throttle.rate' });
    expect(err.message).toContain("gw.yaml:6:19 gateways.public.stage.throttle.rate: rate 20000 rps is above the account's 10000 rps");
  });

  it('GIVEN a proxied service timeout the proxy cannot fit WHEN planned THEN the error is at timeoutMs', () => {
    const spec = parseConfig(
      lines(
        'services:',
        '  users:',
        '    url: "https://u.example.com"',
        '    timeoutMs: 28500',
        '    retries: { attempts: 1 }',
        'gateways:',
        '  public:',
        '    routes: [{ service: users, paths: [/a] }]',
      ),
      'gw.yaml',
    );
    expect(catchSpecError(() => planSpec(spec)).issues[0]).toMatchObject({ line: 4, column: 5, where: 'services.users.timeoutMs' });
  });

  it("GIVEN a warning WHEN planned THEN it carries the line of its config path; a TS spec's has none", () => {
    const yaml = lines(
      'services:',
      '  users: { url: "https://u.example.com" }',
      'gateways:',
      '  public:',
      '    cors: { origins: ["https://a.example.com"] }',
      '    routes: [{ service: users, paths: [/a] }]',
    );
    const warning = planSpec(parseConfig(yaml, 'gw.yaml')).warnings.find((w) => w.code === 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM');
    expect(warning).toMatchObject({ file: 'gw.yaml', line: 5, column: 5 });
    const fromObject = planSpec(
      validateConfig({
        services: { users: { url: 'https://u.example.com' } },
        gateways: { public: { cors: { origins: ['https://a.example.com'] }, routes: [{ service: 'users', paths: ['/a'] }] } },
      }),
    );
    expect(fromObject.warnings.find((w) => w.code === 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM')?.file).toBeUndefined();
  });
});

describe('acknowledge', () => {
  const base = lines(
    'services:',
    '  users: { url: "https://u.example.com" }',
    'gateways:',
    '  public:',
    '    cors: { origins: ["https://a.example.com"] }',
    '    routes: [{ service: users, paths: [/a] }]',
  );

  it('GIVEN an acknowledgement of a code at a path above the warning WHEN planned THEN the warning moves to acknowledged with its reason', () => {
    const plan = planSpec(
      parseConfig(
        `${base}acknowledge:\n  - { code: CORS_RESPONSE_HEADERS_FROM_UPSTREAM, where: gateways.public, reason: upstream sets CORS }\n`,
      ),
    );
    expect(plan.warnings.map((w) => w.code)).not.toContain('CORS_RESPONSE_HEADERS_FROM_UPSTREAM');
    expect(plan.acknowledged).toEqual([
      expect.objectContaining({ code: 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM', where: 'gateways.public.cors', reason: 'upstream sets CORS' }),
    ]);
  });

  it('GIVEN an acknowledgement without where WHEN planned THEN it covers the code everywhere', () => {
    const plan = planSpec(parseConfig(`${base}acknowledge: [{ code: CORS_RESPONSE_HEADERS_FROM_UPSTREAM, reason: fine }]\n`));
    expect(plan.acknowledged).toHaveLength(1);
  });

  it('GIVEN an acknowledgement at another path, or of a code that never fires, WHEN planned THEN the warning stays and the entry is reported unused at its line', () => {
    const plan = planSpec(
      parseConfig(
        `${base}acknowledge:\n  - { code: CORS_RESPONSE_HEADERS_FROM_UPSTREAM, where: gateways.other, reason: typo }\n`,
        'gw.yaml',
      ),
    );
    expect(plan.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['CORS_RESPONSE_HEADERS_FROM_UPSTREAM', 'ACKNOWLEDGEMENT_UNUSED']),
    );
    expect(plan.warnings.find((w) => w.code === 'ACKNOWLEDGEMENT_UNUSED')).toMatchObject({ where: 'acknowledge[0]', line: 8, column: 5 });
  });

  it('GIVEN an acknowledgement without a reason or with a lower-case code WHEN validated THEN each is a schema problem', () => {
    const err = catchSpecError(() => parseConfig(`${base}acknowledge: [{ code: cors, where: gateways.public }]\n`));
    expect(err.issues.map((i) => i.where).sort()).toEqual(['acknowledge[0].code', 'acknowledge[0].reason']);
  });
});

describe('legal configs that do nothing or harm', () => {
  const spec = (gateway: string[], services = ['  users: { url: "https://u.example.com" }']) =>
    parseConfig(lines('services:', ...services, 'gateways:', '  public:', ...gateway), 'gw.yaml');
  const codes = (s: ReturnType<typeof spec>) => planSpec(s).warnings.map((w) => [w.code, w.where, w.line]);

  it('GIVEN lastGood on a service whose routes serve no GET THEN LAST_GOOD_WITHOUT_GET; with a GET route, none', () => {
    const services = ['  users:', '    url: "https://u.example.com"', '    lastGood: { ttlSeconds: 60 }'];
    expect(codes(spec(['    routes: [{ service: users, paths: [/a], methods: [POST, PUT] }]'], services))).toContainEqual([
      'LAST_GOOD_WITHOUT_GET',
      'services.users.lastGood',
      4,
    ]);
    expect(codes(spec(['    routes: [{ service: users, paths: [/a], methods: [GET, POST] }]'], services)).map((c) => c[0])).not.toContain(
      'LAST_GOOD_WITHOUT_GET',
    );
  });

  it('GIVEN a throttle with burst 0 or a rate below 1 THEN THROTTLE_REFUSES_ALL / THROTTLE_BELOW_ONE_RPS at the field', () => {
    const s = spec([
      '    stage: { throttle: { rate: 10, burst: 0 } }',
      '    routes:',
      '      - { service: users, paths: [/a], throttle: { rate: 0.5, burst: 5 } }',
    ]);
    expect(codes(s)).toEqual(
      expect.arrayContaining([
        ['THROTTLE_REFUSES_ALL', 'gateways.public.stage.throttle.burst', 5],
        ['THROTTLE_BELOW_ONE_RPS', 'gateways.public.routes[0].throttle.rate', 7],
      ]),
    );
  });

  it('GIVEN alarm thresholds with alarms off THEN ALARM_SETTINGS_WITH_ALARMS_OFF names them; alarms off alone is fine', () => {
    const off = spec([
      '    observability: { alarms: { enabled: false, p99LatencyMs: 900 } }',
      '    routes: [{ service: users, paths: [/a] }]',
    ]);
    const w = planSpec(off).warnings.find((x) => x.code === 'ALARM_SETTINGS_WITH_ALARMS_OFF');
    expect(w).toMatchObject({ where: 'gateways.public.observability.alarms', line: 5 });
    expect(w?.message).toMatch(/so p99LatencyMs has no effect/);
    expect(
      codes(spec(['    observability: { alarms: { enabled: false } }', '    routes: [{ service: users, paths: [/a] }]'])).map((c) => c[0]),
    ).not.toContain('ALARM_SETTINGS_WITH_ALARMS_OFF');
  });

  it('GIVEN JWT issuers and no route with auth THEN JWT_ISSUERS_UNUSED', () => {
    const gateway = [
      '    auth: { jwt: { issuers: [{ issuer: "https://login.example.com/", audience: [api] }] } }',
      '    routes: [{ service: users, paths: [/a] }]',
    ];
    expect(codes(spec(gateway))).toContainEqual(['JWT_ISSUERS_UNUSED', 'gateways.public.auth.jwt', 5]);
    expect(codes(spec([gateway[0]!, '    routes: [{ service: users, paths: [/a], auth: jwt }]'])).map((c) => c[0])).not.toContain(
      'JWT_ISSUERS_UNUSED',
    );
  });

  it('GIVEN a correlation header that differs from the default only in case THEN CORRELATION_HEADER_CASE_ONLY', () => {
    const s = spec(['    correlationId: { header: x-request-id }', '    routes: [{ service: users, paths: [/a] }]']);
    expect(codes(s)).toContainEqual(['CORRELATION_HEADER_CASE_ONLY', 'gateways.public.correlationId.header', 5]);
    expect(
      codes(spec(['    correlationId: { header: X-Correlation-ID }', '    routes: [{ service: users, paths: [/a] }]'])).map((c) => c[0]),
    ).not.toContain('CORRELATION_HEADER_CASE_ONLY');
  });
});
