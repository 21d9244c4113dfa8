// API keys and usage plans, counted locally: keys generated at start, plan throttles as token buckets, quotas per period.
import { randomBytes } from 'node:crypto';
import type { LocalUsagePlan } from './assembly';
import { TokenBucket } from './token-bucket';

export interface LocalApiKey {
  readonly name: string;
  readonly id: string;
  readonly value: string;
  readonly plans: readonly string[];
}

export type KeyCheck =
  | { readonly ok: true; readonly key: LocalApiKey }
  | { readonly ok: false; readonly type: 'INVALID_API_KEY' | 'THROTTLED' | 'QUOTA_EXCEEDED' };

export class UsagePlans {
  readonly keys: readonly LocalApiKey[];
  private readonly byValue: Map<string, LocalApiKey>;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly used = new Map<string, { period: string; count: number }>();

  constructor(
    private readonly plans: readonly LocalUsagePlan[],
    private readonly now: () => number = Date.now,
  ) {
    const names = [...new Set(plans.flatMap((p) => p.keys))];
    this.keys = names.map((name, i) => ({
      name,
      id: `local${String(i + 1).padStart(4, '0')}`,
      // 40 characters, the length of the keys API Gateway generates.
      value: randomBytes(30).toString('base64url').slice(0, 40),
      plans: plans.filter((p) => p.keys.includes(name)).map((p) => p.name),
    }));
    this.byValue = new Map(this.keys.map((k) => [k.value, k]));
  }

  /**
   * A keyed method's check: the key must exist and belong to a plan of this stage; then the plan's method
   * throttle, its throttle and its quota. Doc: "Usage plans and API keys for REST APIs in API Gateway".
   */
  check(value: string | undefined, resourcePath: string, method: string): KeyCheck {
    const key = value === undefined ? undefined : this.byValue.get(value);
    if (!key || !key.plans.length) return { ok: false, type: 'INVALID_API_KEY' };
    const plan = this.plans.find((p) => key.plans.includes(p.name))!;
    const methodThrottle = plan.methodThrottles[`${resourcePath}/${method}`];
    if (methodThrottle && !this.bucket(`${key.id} ${resourcePath}/${method}`, methodThrottle).take())
      return { ok: false, type: 'THROTTLED' };
    if (plan.throttle && !this.bucket(key.id, plan.throttle).take()) return { ok: false, type: 'THROTTLED' };
    if (plan.quota) {
      const period = periodOf(plan.quota.period, this.now());
      const used = this.used.get(key.id);
      const count = used?.period === period ? used.count : 0;
      if (count >= plan.quota.limit) return { ok: false, type: 'QUOTA_EXCEEDED' };
      this.used.set(key.id, { period, count: count + 1 });
    }
    return { ok: true, key };
  }

  private bucket(id: string, t: { rateLimit: number; burstLimit: number }): TokenBucket {
    let b = this.buckets.get(id);
    if (!b) this.buckets.set(id, (b = new TokenBucket(t.rateLimit, t.burstLimit, this.now)));
    return b;
  }
}

function periodOf(period: 'DAY' | 'WEEK' | 'MONTH', epochMs: number): string {
  const d = new Date(epochMs);
  if (period === 'MONTH') return `${d.getUTCFullYear()}-${d.getUTCMonth()}`;
  if (period === 'WEEK') return `w${Math.floor((epochMs / 86_400_000 + 3) / 7)}`;
  return d.toISOString().slice(0, 10);
}
