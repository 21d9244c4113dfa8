// Issue 14 item 5 (REST): services.<name>.clientCertificate puts an AWS::ApiGateway::ClientCertificate on the stage; every branch that cannot present it is an error.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { expectOnlyIssue } from '../config/fixtures';
import { synthSpec } from '../support/synth';
import { asRest } from '../support/flavors';

const spec = (users: Record<string, unknown> = {}, gateway: Record<string, unknown> = {}) => ({
  services: {
    users: { url: 'https://users.example.com', clientCertificate: true, ...users },
    orders: { url: 'https://orders.example.com' },
  },
  gateways: {
    public: {
      routes: [
        { service: 'users', paths: ['/api/users'], methods: ['GET'] },
        { service: 'orders', paths: ['/api/orders'], methods: ['GET'] },
      ],
      ...gateway,
    },
  },
});

describe('GIVEN a service that asks for the gateway client certificate', () => {
  it('WHEN synthesized THEN one certificate is created and the stage presents it', () => {
    const s = synthSpec(spec(), { nag: false });
    s.template.resourceCountIs('AWS::ApiGateway::ClientCertificate', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::ClientCertificate', {
      Description: 'Gatehouse gateway "public": presented to users',
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      ClientCertificateId: { Ref: Match.stringLikeRegexp('^GatehousePublicClientCertificate') },
    });
    expect(s.stack.gatehouse.clientCertificates.public).toBeDefined();
  });

  it('WHEN planned THEN the plan names the services, explain says where the PEM comes from, and the resource estimate counts it', () => {
    const plan = planSpec(validateConfig(spec()));
    const without = planSpec(validateConfig(spec({ clientCertificate: false })));
    expect(asRest(plan.gateways[0]).clientCertificate).toEqual({ services: ['users'] });
    expect(asRest(without.gateways[0]).clientCertificate).toBeUndefined();
    expect(plan.stackResources - without.stackResources).toBe(1);
    expect(explainPlan(plan)).toContain(
      'Client certificate: the stage presents its AWS::ApiGateway::ClientCertificate to users; their servers trust its PEM (aws apigateway get-client-certificate)',
    );
  });

  it('WHEN no service asks THEN there is no certificate', () => {
    synthSpec(spec({ clientCertificate: false }), { nag: false }).template.resourceCountIs('AWS::ApiGateway::ClientCertificate', 0);
  });

  it('WHEN the service is validated THEN clientCertificate defaults to false', () => {
    expect(validateConfig(spec()).services.orders!.clientCertificate).toBe(false);
  });

  it('WHEN its upstream is http:// THEN it is an error: there is no TLS handshake to present it in', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ url: 'http://users.example.com', allowPlaintext: true })),
      'services.users.clientCertificate',
      /a client certificate is presented in the TLS handshake, which an http:\/\/ upstream never starts/,
    );
  });

  it('WHEN an HTTP API routes to it THEN the route is an error naming flavor: rest', () => {
    expectOnlyIssue(
      () => validateConfig(spec({}, { flavor: 'http' })),
      'gateways.public.routes[0].service',
      /only REST APIs present to their upstreams: use flavor: rest/,
    );
  });

  it('WHEN its routes go through the resilient proxy THEN the route is an error: the proxy Lambda has no such certificate', () => {
    expect(() => planSpec(validateConfig(spec({ retries: { attempts: 1 } })))).toThrow(
      /gateways\.public\.routes\[0\]\.service: route \/api\/users goes through the resilient proxy of "users", which calls the upstream itself and cannot present the gateway's client certificate/,
    );
  });
});
