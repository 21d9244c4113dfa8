// The API-key lifecycle through the real AWS SDK against moto_server on loopback: create, list, rotate, revoke, expiry, failures half way.
import { GetApiKeyCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeysClient } from '../../lambdas/shared/api-keys/client';
import { createKey } from '../../lib/keys/create-key';
import { enforceExpiry } from '../../lambdas/shared/api-keys/enforce-expiry';
import { KeyError, type KeyErrorCode } from '../../lambdas/shared/api-keys/errors';
import { listKeys } from '../../lib/keys/list-keys';
import { revokeKey } from '../../lib/keys/revoke-key';
import { rotateKey } from '../../lib/keys/rotate-key';
import { TAG } from '../../lambdas/shared/api-keys/key-tags';
import { findMotoServer, MOTO_CREDENTIALS, startMotoServer, type MotoServer } from '../support/moto-server';
import { deployGateway, failingOn, MOTO_MISSING, motoKeysClient, storedKeys } from './support/api-gateway-moto';

const DAY = 86_400_000;
const motoServer = findMotoServer();
if (motoServer === undefined && !process.env.CI) console.warn(`SKIPPED API-key lifecycle tests: ${MOTO_MISSING}`);

async function rejection(promise: Promise<unknown>): Promise<KeyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyError);
  return error as KeyError;
}

function expectCode(error: KeyError, code: KeyErrorCode): void {
  expect(error.code).toBe(code);
}

describe.skipIf(motoServer === undefined && !process.env.CI)('GIVEN a deployed gateway with usage plans (moto_server)', () => {
  let moto: MotoServer;
  let client: APIGatewayClient;
  let planIds: Record<string, string>;

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    moto = await startMotoServer(motoServer);
    client = motoKeysClient(moto.endpoint);
    planIds = await deployGateway(client, 'partner', ['standard', 'premium']);
    await deployGateway(client, 'other', ['basic']);
  });

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  async function keyIdsOfPlan(plan: string): Promise<string[]> {
    return ((await client.send(new GetUsagePlanKeysCommand({ usagePlanId: planIds[plan]! }))).items ?? []).map((k) => k.id!);
  }

  async function planNamesOfKey(keyId: string): Promise<string[]> {
    return ((await client.send(new GetUsagePlansCommand({ keyId }))).items ?? []).map((p) => p.name!).sort();
  }

  async function stored(keyId: string) {
    return client.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
  }

  describe('WHEN a key is created', () => {
    it('THEN API Gateway generated its value, it is enabled, on the plan, and tagged with gateway, consumer and expiry', async () => {
      const expires = new Date(Date.now() + 90 * DAY);
      const key = await createKey(client, { gateway: 'partner', plans: ['standard'], consumer: 'acme', expires });

      expect(key.value.length).toBeGreaterThanOrEqual(20);
      expect(key.name).toMatch(/^partner-acme-\d{14}$/);
      expect(key.plans).toEqual(['partner-standard']);
      expect(await keyIdsOfPlan('standard')).toContain(key.id);
      const saved = await stored(key.id);
      expect(saved.value).toBe(key.value);
      expect(saved.enabled).toBe(true);
      expect(saved.tags).toEqual({ [TAG.gateway]: 'partner', [TAG.consumer]: 'acme', [TAG.expires]: expires.toISOString() });
    });

    it('THEN a key without --expires has no expiry tag', async () => {
      const key = await createKey(client, { gateway: 'partner', plans: ['premium'], consumer: 'globex' });
      expect(await planNamesOfKey(key.id)).toEqual(['partner-premium']);
      expect((await stored(key.id)).tags?.[TAG.expires]).toBeUndefined();
    });

    it('THEN a key on two plans of one gateway is refused with INVALID_ARGUMENT naming the way out, and nothing is created', async () => {
      const before = (await storedKeys(client)).length;
      const error = await rejection(createKey(client, { gateway: 'partner', plans: ['standard', 'premium'], consumer: 'globex' }));
      expectCode(error, 'INVALID_ARGUMENT');
      expect(error.message).toMatch(
        /one usage plan of gateway "partner" \(got standard, premium\).*409 ConflictException.*Pass one --plan; .*another --consumer/,
      );
      expect((await storedKeys(client)).length).toBe(before);
    });

    it('THEN a missing plan fails with PLAN_NOT_FOUND naming the plans the gateway has, and creates nothing', async () => {
      const before = (await storedKeys(client)).length;
      const error = await rejection(createKey(client, { gateway: 'partner', plans: ['gold'], consumer: 'acme' }));
      expectCode(error, 'PLAN_NOT_FOUND');
      expect(error.message).toContain('no usage plan "partner-gold"');
      expect(error.message).toMatch(/gateway "partner" has: (standard, premium|premium, standard)/);
      expect((await storedKeys(client)).length).toBe(before);
    });

    it('THEN attaching to the plan failing deletes the new key again, so no key is left outside a plan', async () => {
      const before = (await storedKeys(client)).map((k) => k.id);
      const broken = failingOn(client, 'CreateUsagePlanKeyCommand', 1);
      const error = await rejection(createKey(broken, { gateway: 'partner', plans: ['premium'], consumer: 'initech' }));
      expectCode(error, 'ROLLED_BACK');
      expect(error.message).toMatch(/attaching it to usage plan "partner-premium".*it was deleted again/);
      expect(broken.calls).toContain('DeleteApiKeyCommand');
      expect((await storedKeys(client)).map((k) => k.id)).toEqual(before);
    });
  });

  describe('WHEN keys are listed', () => {
    it('THEN each key shows its plans and state, and no value anywhere', async () => {
      const key = await createKey(client, { gateway: 'partner', plans: ['premium'], consumer: 'hooli' });
      const listed = await listKeys(client, { gateway: 'partner', consumer: 'hooli' });
      expect(listed.map((k) => ({ id: k.id, consumer: k.consumer, enabled: k.enabled, plans: k.plans }))).toEqual([
        { id: key.id, consumer: 'hooli', enabled: true, plans: ['partner-premium'] },
      ]);
      expect(JSON.stringify(listed)).not.toContain(key.value);
      expect(listed[0]).not.toHaveProperty('value');
    });

    it('THEN filtering by gateway leaves out other gateways', async () => {
      await createKey(client, { gateway: 'other', plans: ['basic'], consumer: 'acme' });
      const partner = await listKeys(client, { gateway: 'partner' });
      expect(partner.length).toBeGreaterThan(0);
      expect(partner.every((k) => k.gateway === 'partner')).toBe(true);
    });
  });

  describe('WHEN a consumer key is rotated with a grace period', () => {
    it('THEN the new key is on the same plans, the old one keeps working, and a re-run creates nothing', async () => {
      const now = new Date();
      const old = await createKey(client, { gateway: 'partner', plans: ['premium'], consumer: 'umbrella', now });

      const rotated = await rotateKey(client, { gateway: 'partner', consumer: 'umbrella', graceMs: 7 * DAY, now });
      expect(rotated.status).toBe('rotated');
      if (rotated.status !== 'rotated') return;
      expect(rotated.key.id).not.toBe(old.id);
      expect(rotated.key.value).not.toBe(old.value);
      expect(await planNamesOfKey(rotated.key.id)).toEqual(['partner-premium']);
      expect((await stored(old.id)).enabled).toBe(true);
      expect(rotated.replaced.map((k) => k.id)).toEqual([old.id]);
      expect(rotated.disableReplacedAfter.toISOString()).toBe(new Date(now.getTime() + 7 * DAY).toISOString());
      const listedOld = (await listKeys(client, { gateway: 'partner', consumer: 'umbrella' })).find((k) => k.id === old.id);
      expect(listedOld?.disableAfter?.toISOString()).toBe(rotated.disableReplacedAfter.toISOString());

      const keysBefore = (await storedKeys(client)).length;
      const again = await rotateKey(client, {
        gateway: 'partner',
        consumer: 'umbrella',
        graceMs: 7 * DAY,
        now: new Date(now.getTime() + DAY),
      });
      expect(again.status).toBe('in-grace');
      expect(again.key.id).toBe(rotated.key.id);
      expect((await storedKeys(client)).length).toBe(keysBefore);
    });

    it('THEN a failure attaching the new key leaves the old key untouched and never retired', async () => {
      const now = new Date();
      const old = await createKey(client, { gateway: 'partner', plans: ['premium'], consumer: 'cyberdyne', now });
      const before = (await storedKeys(client)).map((k) => k.id);

      const error = await rejection(
        rotateKey(failingOn(client, 'CreateUsagePlanKeyCommand', 1), { gateway: 'partner', consumer: 'cyberdyne', graceMs: DAY, now }),
      );
      expectCode(error, 'ROLLED_BACK');
      expect((await storedKeys(client)).map((k) => k.id)).toEqual(before);
      const saved = await stored(old.id);
      expect(saved.enabled).toBe(true);
      expect(await planNamesOfKey(old.id)).toEqual(['partner-premium']);

      const report = await enforceExpiry(client, { now: new Date(now.getTime() + 30 * DAY) });
      expect(report.disabled.map((d) => d.key.id)).not.toContain(old.id);
    });

    it('THEN a consumer without keys fails with CONSUMER_NOT_FOUND naming the consumers that have some', async () => {
      const error = await rejection(rotateKey(client, { gateway: 'partner', consumer: 'nobody', graceMs: DAY }));
      expectCode(error, 'CONSUMER_NOT_FOUND');
      expect(error.message).toMatch(/no API key of consumer "nobody" on gateway "partner"; consumers with keys there: .*acme/);
    });
  });

  describe('WHEN expiry is enforced', () => {
    it('THEN keys past their grace period or expiry are disabled and keys near expiry are reported', async () => {
      const now = new Date();
      const rotatedAway = await createKey(client, { gateway: 'partner', plans: ['standard'], consumer: 'wonka', now });
      const rotation = await rotateKey(client, { gateway: 'partner', consumer: 'wonka', graceMs: 7 * DAY, now });
      const expiring = await createKey(client, {
        gateway: 'partner',
        plans: ['standard'],
        consumer: 'stark',
        now,
        expires: new Date(now.getTime() + 10 * DAY),
      });
      const lasting = await createKey(client, {
        gateway: 'partner',
        plans: ['standard'],
        consumer: 'wayne',
        now,
        expires: new Date(now.getTime() + 90 * DAY),
      });
      const ours = new Set([rotatedAway.id, expiring.id, lasting.id, rotation.status === 'rotated' ? rotation.key.id : '']);
      const mine = <T extends { id: string }>(keys: readonly T[]) => keys.filter((k) => ours.has(k.id)).map((k) => k.id);

      const early = await enforceExpiry(client, { now: new Date(now.getTime() + DAY), warningDays: 14 });
      expect(mine(early.disabled.map((d) => d.key))).toEqual([]);
      expect(mine(early.expiringSoon)).toEqual([expiring.id]);
      expect((await stored(rotatedAway.id)).enabled).toBe(true);

      const afterGrace = await enforceExpiry(client, { now: new Date(now.getTime() + 8 * DAY) });
      expect(afterGrace.disabled.filter((d) => ours.has(d.key.id)).map((d) => [d.key.id, d.reason])).toEqual([[rotatedAway.id, 'rotated']]);
      expect((await stored(rotatedAway.id)).enabled).toBe(false);

      const afterExpiry = await enforceExpiry(client, { now: new Date(now.getTime() + 11 * DAY) });
      expect(afterExpiry.disabled.filter((d) => ours.has(d.key.id)).map((d) => [d.key.id, d.reason])).toEqual([[expiring.id, 'expired']]);
      expect((await stored(expiring.id)).enabled).toBe(false);
      expect((await stored(lasting.id)).enabled).toBe(true);
      expect(afterExpiry.failed).toEqual([]);
    });
  });

  describe('WHEN a consumer is revoked', () => {
    it('THEN all its keys are deleted and other consumers keep theirs', async () => {
      const first = await createKey(client, { gateway: 'partner', plans: ['standard'], consumer: 'tyrell' });
      await rotateKey(client, { gateway: 'partner', consumer: 'tyrell', graceMs: DAY });
      const bystander = await createKey(client, { gateway: 'partner', plans: ['standard'], consumer: 'soylent' });

      const revoked = await revokeKey(client, { gateway: 'partner', consumer: 'tyrell' });
      expect(revoked.map((k) => k.id)).toContain(first.id);
      expect(revoked).toHaveLength(2);
      const left = (await storedKeys(client)).map((k) => k.id);
      for (const k of revoked) expect(left).not.toContain(k.id);
      expect(left).toContain(bystander.id);

      expectCode(await rejection(revokeKey(client, { gateway: 'partner', consumer: 'tyrell' })), 'CONSUMER_NOT_FOUND');
    });

    it('THEN one key can be revoked by id, but not through another gateway', async () => {
      const key = await createKey(client, { gateway: 'partner', plans: ['standard'], consumer: 'acme' });
      expectCode(await rejection(revokeKey(client, { gateway: 'other', keyId: key.id })), 'KEY_NOT_FOUND');
      expect((await revokeKey(client, { gateway: 'partner', keyId: key.id })).map((k) => k.id)).toEqual([key.id]);
      expectCode(await rejection(revokeKey(client, { gateway: 'partner', keyId: key.id })), 'KEY_NOT_FOUND');
    });
  });
});

describe('GIVEN an API that keeps throttling', () => {
  let server: Server;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
      res.end(JSON.stringify({ message: 'Too Many Requests' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('WHEN a call is throttled on every attempt THEN the SDK retries and the error is THROTTLED', async () => {
    const address = server.address() as { port: number };
    const throttled = createKeysClient({
      endpoint: `http://127.0.0.1:${address.port}`,
      region: 'us-east-1',
      credentials: { ...MOTO_CREDENTIALS },
      maxAttempts: 3,
    });
    const error = await rejection(listKeys(throttled));
    expectCode(error, 'THROTTLED');
    expect(error.message).toMatch(/kept throttling the request after retries/);
    expect(requests).toBe(3);
    throttled.destroy();
  });
});
