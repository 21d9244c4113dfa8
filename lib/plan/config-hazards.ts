// Configs that are legal but do nothing, or harm: each gets a warning naming the field and what to do instead.
import { formatPath } from '../config/errors';
import { observabilitySchema } from '../config/observability-schema';
import type { GatehouseSpec, GatewaySpec, ThrottleSpec } from '../config/schema';
import type { PlanWarning } from './types';

const CORRELATION_DEFAULTS = { header: 'X-Request-ID', gatewayHeader: 'X-Gateway-Request-ID' } as const;

export function checkConfigHazards(spec: GatehouseSpec): PlanWarning[] {
  return [
    ...lastGoodWithoutGet(spec),
    ...Object.entries(spec.gateways).flatMap(([name, gateway]) => [
      ...blockingThrottles(name, gateway),
      ...alarmSettingsWithAlarmsOff(name, gateway),
      ...unusedIssuers(name, gateway),
      ...correlationCaseOnly(name, gateway),
    ]),
  ];
}

/** lastGood answers failed GETs from stored responses; on a service none of whose routes serve GET it only adds a proxy Lambda. */
function lastGoodWithoutGet(spec: GatehouseSpec): PlanWarning[] {
  return Object.entries(spec.services).flatMap(([service, s]) => {
    if (!s.lastGood) return [];
    const routes = Object.values(spec.gateways).flatMap((g) => g.routes.filter((r) => r.service === service));
    // A service only aggregates call is warned about by the aggregate planner (it ignores lastGood there).
    if (routes.length === 0 || routes.some((r) => r.methods.includes('GET') || r.methods.includes('ANY'))) return [];
    return [
      {
        code: 'LAST_GOOD_WITHOUT_GET',
        where: formatPath(['services', service, 'lastGood']),
        message: `lastGood serves stored answers to GET requests only, and no route of "${service}" serves GET (${[...new Set(routes.flatMap((r) => r.methods))].join(', ')}); it would only put a proxy Lambda in front of the service: remove it, or add GET to a route`,
      },
    ];
  });
}

/** API Gateway's token bucket holds `burst` requests and refills at `rate` per second: burst 0 refuses every request. */
function blockingThrottles(name: string, gateway: GatewaySpec): PlanWarning[] {
  const at = ['gateways', name];
  const throttles: [(string | number)[], ThrottleSpec | undefined][] = [
    [[...at, 'stage', 'throttle'], gateway.stage.throttle],
    ...gateway.routes.map((r, i) => [[...at, 'routes', i, 'throttle'], r.throttle] as [(string | number)[], ThrottleSpec | undefined]),
    ...gateway.aggregates.map(
      (a, i) => [[...at, 'aggregates', i, 'throttle'], a.throttle] as [(string | number)[], ThrottleSpec | undefined],
    ),
    ...Object.entries(gateway.plans).flatMap(([plan, p]) => [
      [[...at, 'plans', plan, 'throttle'], p.throttle] as [(string | number)[], ThrottleSpec | undefined],
      ...p.routeThrottles.map(
        (t, i) => [[...at, 'plans', plan, 'routeThrottles', i, 'throttle'], t.throttle] as [(string | number)[], ThrottleSpec | undefined],
      ),
    ]),
  ];
  return throttles.flatMap(([path, t]) => {
    if (!t) return [];
    if (t.burst === 0) {
      return [
        {
          code: 'THROTTLE_REFUSES_ALL',
          where: formatPath([...path, 'burst']),
          message:
            "burst 0 leaves API Gateway's token bucket empty, so every request gets 429 Too Many Requests; set burst to at least the rate (e.g. twice it)",
        },
      ];
    }
    if (t.rate < 1) {
      return [
        {
          code: 'THROTTLE_BELOW_ONE_RPS',
          where: formatPath([...path, 'rate']),
          message: `rate ${t.rate} refills less than one request per second: after the first ${t.burst} requests callers get 429 for about ${Math.ceil(1 / t.rate)} s between requests; for a daily or monthly allowance use a usage plan's quota instead`,
        },
      ];
    }
    return [];
  });
}

/** Thresholds only matter when alarms exist; set with alarms off, they read as protection that is not there. */
function alarmSettingsWithAlarmsOff(name: string, gateway: GatewaySpec): PlanWarning[] {
  const alarms = gateway.observability.alarms as Record<string, unknown> & { enabled: boolean };
  if (alarms.enabled) return [];
  const defaults = observabilitySchema.parse({}).alarms as Record<string, unknown>;
  // Defaults are applied before the plan, so a threshold differing from its default is one the config set.
  const set = Object.keys(alarms).filter((k) => k !== 'enabled' && alarms[k] !== defaults[k]);
  if (!set.length) return [];
  return [
    {
      code: 'ALARM_SETTINGS_WITH_ALARMS_OFF',
      where: formatPath(['gateways', name, 'observability', 'alarms']),
      message: `alarms are off (enabled: false), so ${set.join(', ')} ${set.length === 1 ? 'has' : 'have'} no effect; turn alarms on, or remove the thresholds`,
    },
  ];
}

/** Issuers the gateway trusts but no route asks for: the authorizer is not even created. */
function unusedIssuers(name: string, gateway: GatewaySpec): PlanWarning[] {
  if (!gateway.auth?.jwt) return [];
  if (gateway.routes.some((r) => r.auth) || gateway.aggregates.some((a) => a.auth)) return [];
  return [
    {
      code: 'JWT_ISSUERS_UNUSED',
      where: formatPath(['gateways', name, 'auth', 'jwt']),
      message:
        'no route or aggregate has auth, so these issuers protect nothing and every route is open; add auth: jwt to the routes that need a token, or remove the section',
    },
  ];
}

/** Header names are case-insensitive: a case-only change of a default does nothing but change the deployment fingerprint. */
function correlationCaseOnly(name: string, gateway: GatewaySpec): PlanWarning[] {
  return (Object.keys(CORRELATION_DEFAULTS) as (keyof typeof CORRELATION_DEFAULTS)[]).flatMap((field) => {
    const value = gateway.correlationId[field];
    const fallback = CORRELATION_DEFAULTS[field];
    if (value === fallback || value.toLowerCase() !== fallback.toLowerCase()) return [];
    return [
      {
        code: 'CORRELATION_HEADER_CASE_ONLY',
        where: formatPath(['gateways', name, 'correlationId', field]),
        message: `${value} is the default ${fallback} (HTTP header names are case-insensitive): the setting changes nothing but forces a new API deployment; remove it`,
      },
    ];
  });
}
