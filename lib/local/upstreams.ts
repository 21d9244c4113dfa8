// Upstream overrides: `--upstream <service>[.<target>]=<url>` points a service's baked URL at a local server,
// in HTTP_PROXY integration URIs and in the proxy/aggregator bundles that carry the URL in their baked config.
import type { GatehouseSpec } from '../config/schema';

export interface UpstreamOverrides {
  /** The URL after overrides (the original when no service's URL is a prefix of it or the service has none). */
  readonly rewriteUrl: (url: string) => string;
  /** A bundle's text with every baked URL of an overridden service replaced. */
  rewriteBundle(code: string): string;
  /** Services (and targets) whose URL is overridden, with the URL they now reach. */
  readonly applied: readonly { readonly service: string; readonly from: string; readonly to: string }[];
  /** Override keys that name no service or target of the config. */
  readonly unknown: readonly string[];
}

/** Parses `service=url` pairs; throws a TypeError naming the bad one. */
export function parseUpstreamFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = flag.slice(0, eq);
    const url = flag.slice(eq + 1);
    if (eq <= 0 || !/^https?:\/\/[^\s/]+/.test(url))
      throw new TypeError(`--upstream takes <service>=<http(s) URL>, e.g. user-service=http://127.0.0.1:3001, not "${flag}"`);
    out[key] = url.replace(/\/+$/, '');
  }
  return out;
}

/**
 * `overrides` by service name (all its targets) or `service.target`; `fallback`, when given, serves every
 * service left without one (the built-in echo upstream of `--echo`).
 */
export function upstreamOverrides(spec: GatehouseSpec, overrides: Readonly<Record<string, string>>, fallback?: string): UpstreamOverrides {
  const services = (spec as { services?: Record<string, { url?: string; targets?: { name?: string; url: string }[] }> }).services ?? {};
  const pairs: { service: string; from: string; to: string }[] = [];
  const known = new Set<string>();
  for (const [name, s] of Object.entries(services)) {
    known.add(name);
    if (s.url) {
      const to = overrides[name] ?? fallback;
      if (to) pairs.push({ service: name, from: s.url.replace(/\/+$/, ''), to });
    }
    (s.targets ?? []).forEach((t, i) => {
      const target = `${name}.${t.name ?? `t${i}`}`;
      known.add(target);
      const to = overrides[target] ?? overrides[name] ?? fallback;
      if (to) pairs.push({ service: target, from: t.url.replace(/\/+$/, ''), to });
    });
  }
  // Longest first, so https://a/v1 is rewritten before https://a.
  pairs.sort((a, b) => b.from.length - a.from.length);
  const pattern = pairs.length ? new RegExp(pairs.map((p) => escapeRegExp(p.from)).join('|') + '(?=$|[/?#"\'`])', 'g') : undefined;
  const replace = (text: string) => (pattern ? text.replace(pattern, (m) => pairs.find((p) => p.from === m)!.to) : text);
  return {
    rewriteUrl: replace,
    rewriteBundle: replace,
    applied: pairs,
    unknown: Object.keys(overrides).filter((k) => !known.has(k)),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
