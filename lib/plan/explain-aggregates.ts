// explain for aggregates: each aggregate's parts (service, URL, timing, optional and fallback), what waits for what, the projection and the deadline.
import type { PartConfig } from '../../lambdas/contract/aggregator-config';
import { stateWaitText } from './proxy-timing';
import type { AggregatorPlan, GatewayPlan } from './types';

/** Fallbacks longer than this are cut in the listing. */
const FALLBACK_CHARS = 40;

export function explainAggregators(g: GatewayPlan): string[] {
  return g.aggregators.flatMap((a) => {
    const c = a.config;
    const rows = Object.entries(c.parts).map(([name, part]) => partRow(name, part, a));
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    return [
      `  Aggregate "${a.name}" (GET ${c.route}): ${a.from ? `parts of ${a.from}; ` : ''}${a.reasons.join('; ')}`,
      `    deadline ${c.deadlineMs} ms (${a.deadlineReason}), ${stateWaitText(a.stateWaitMs)}, API Gateway integration timeout ${a.integrationTimeoutMs} ms; ` +
        `parts without a dependency start at once, a dependent one when its sources are done`,
      ...rows.map(
        (r) =>
          `    ${r
            .map((cell, i) => cell.padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd()}`,
      ),
      `    forwards ${Object.values(c.parts)[0]?.forwardHeaders.join(', ') || 'no client headers'}; ` +
        `${c.select ? `select ${c.select.join(', ')}` : 'answers every part whole'}; ` +
        `br/gzip from ${c.compressMinBytes} bytes; a failed optional part is listed in "partial" and X-Gatehouse-Partial, a failed required one answers 502/504 naming it`,
    ];
  });
}

function partRow(name: string, part: PartConfig, a: AggregatorPlan): string[] {
  const fallback = part.fallback === undefined ? 'null' : JSON.stringify(part.fallback);
  const shortFallback = fallback.length > FALLBACK_CHARS ? `${fallback.slice(0, FALLBACK_CHARS - 1)}…` : fallback;
  const after = a.dependencies[name] ?? [];
  const timing = [
    `${part.timeoutMs} ms`,
    part.retry ? `${part.retry.retries} retries` : '',
    part.circuitBreaker ? `breaker ${part.circuitBreaker.store === 'dynamodb' ? 'shared' : 'per instance'}` : '',
    after.length ? `after ${after.join(', ')}` : '',
  ].filter(Boolean);
  return [
    name,
    part.optional ? `optional, fallback ${shortFallback}` : 'required',
    part.service,
    `GET ${part.url.replace(/\/+$/, '')}${part.pathTemplate}  ${timing.join(', ')}`,
  ];
}
