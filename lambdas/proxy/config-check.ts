// Checks a baked proxy config once at init: a config no request could use is a planner bug, reported as a TypeError naming the field.
import type { ProxyConfig } from '../contract/proxy-config';
import { parsePathTemplate } from '../contract/path-template';
import { checkLambdaTarget, isLambdaLabel } from '../contract/lambda-target-check';
import { checkTransformConfig } from '../contract/transform-check';

export function checkProxyConfig(config: ProxyConfig): void {
  if (config.targets.length === 0) throw new TypeError('proxy config: targets is empty');
  const names = new Set<string>();
  for (const target of config.targets) {
    if (!target.name || names.has(target.name))
      throw new TypeError(`proxy config: target name ${JSON.stringify(target.name)} is empty or repeated`);
    names.add(target.name);
    if (!Number.isFinite(target.weight) || target.weight < 0) {
      throw new TypeError(`proxy config: targets.${target.name}.weight must be a number of at least 0, got ${String(target.weight)}`);
    }
    if (target.lambda !== undefined) {
      checkLambdaTarget(target.lambda, target.url, `proxy config: targets.${target.name}`);
      continue;
    }
    if (isLambdaLabel(target.url)) {
      throw new TypeError(
        `proxy config: targets.${target.name}.url ${JSON.stringify(target.url)} is a Lambda label, but the target has no lambda field to invoke`,
      );
    }
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      throw new TypeError(`proxy config: targets.${target.name}.url is not a URL, got ${JSON.stringify(target.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`proxy config: targets.${target.name}.url must be http: or https:, got ${JSON.stringify(target.url)}`);
    }
    if (url.search !== '')
      throw new TypeError(`proxy config: targets.${target.name}.url must have no query, got ${JSON.stringify(target.url)}`);
  }
  if (!config.targets.some((target) => target.weight > 0)) {
    throw new TypeError('proxy config: every target has weight 0, so a request no version rule pins could go nowhere');
  }
  for (const rule of config.versionRules) {
    const on = 'query' in rule ? `query ${rule.query}` : `header ${rule.header}`;
    if (!names.has(rule.target))
      throw new TypeError(`proxy config: version rule ${on}=${rule.value} names unknown target ${JSON.stringify(rule.target)}`);
  }
  for (const field of ['timeoutMs', 'deadlineMs'] as const) {
    if (!Number.isFinite(config[field]) || config[field] <= 0)
      throw new TypeError(`proxy config: ${field} must be a positive number of ms, got ${String(config[field])}`);
  }
  if (config.lastGood !== undefined) {
    const { varyHeaders, sharedAnswers, ...sizes } = config.lastGood;
    for (const [field, value] of Object.entries(sizes)) {
      if (!Number.isInteger(value) || value <= 0)
        throw new TypeError(`proxy config: lastGood.${field} must be a positive integer, got ${String(value)}`);
    }
    if (!Array.isArray(varyHeaders) || varyHeaders.some((name) => typeof name !== 'string' || name === '' || name !== name.toLowerCase())) {
      throw new TypeError(`proxy config: lastGood.varyHeaders must be lower-case header names, got ${JSON.stringify(varyHeaders)}`);
    }
    if (typeof sharedAnswers !== 'boolean')
      throw new TypeError(`proxy config: lastGood.sharedAnswers must be a boolean, got ${String(sharedAnswers)}`);
  }
  for (const [key, route] of Object.entries(config.routes)) {
    const parsed = parsePathTemplate(route.prefix);
    if ('problem' in parsed)
      throw new TypeError(`proxy config: routes[${JSON.stringify(key)}].prefix ${JSON.stringify(route.prefix)} ${parsed.problem}`);
  }
  if (!config.degradedHeader) throw new TypeError('proxy config: degradedHeader is empty');
  checkTransformConfig(config.transform);
}
