// Cross-field rules of route rate limits: windows that can each be reached, and a key the route can actually provide.
import type { RawIssue } from './errors';
import { WINDOW_SECONDS } from './rate-limit-schema';
import type { GatewaySpec } from './schema';

type WindowName = keyof typeof WINDOW_SECONDS;

export function checkRateLimits(gateway: GatewaySpec, at: readonly (string | number)[]): RawIssue[] {
  const issues: RawIssue[] = [];
  gateway.routes.forEach((route, index) => {
    const limit = route.rateLimit;
    if (!limit) return;
    const limitAt = [...at, 'routes', index, 'rateLimit'];
    const windows = (Object.keys(WINDOW_SECONDS) as WindowName[]).filter((w) => limit[w] !== undefined);
    for (let i = 1; i < windows.length; i++) {
      const shorter = windows[i - 1]!;
      const longer = windows[i]!;
      if (limit[longer]! < limit[shorter]!) {
        issues.push({
          path: [...limitAt, longer],
          message: `${longer} (${limit[longer]}) is below ${shorter} (${limit[shorter]}), so the ${shorter} limit could never be reached: raise ${longer} or lower ${shorter}`,
        });
      }
    }
    if (limit.by === 'apiKey' && !route.apiKey) {
      issues.push({
        path: [...limitAt, 'by'],
        message: 'by: apiKey needs a keyed route (apiKey: true); without a key every caller would be counted by source IP',
      });
    }
  });
  return issues;
}
