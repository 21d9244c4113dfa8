// explain's lines on a gateway's observability: the API's unique name, every alarm with its threshold, saved queries, and where the correlation id comes from.
import type { GatewayPlan } from './types';

export function explainObservability(g: GatewayPlan): string[] {
  const o = g.observability;
  const lines = [
    `  Observability: API name ${g.apiName}${o.dashboard ? `; dashboard gatehouse-${g.apiName}-${g.stage.name}` : '; no dashboard'}` +
      (o.alarms.enabled ? `; ${o.alarmPlans.length} alarms → ${o.alarmTopicArn ?? "the stack's alarm topic"}` : '; no alarms'),
  ];
  if (o.alarms.enabled) {
    for (const alarm of o.alarmPlans) lines.push(`    alarm ${alarm.name}: ${alarm.description.replace(/^Gateway "[^"]+": /, '')}`);
  }
  for (const note of o.notes) lines.push(`    note: ${note}`);
  if (o.queries.length) lines.push(`    saved Logs Insights queries: ${o.queries.map((q) => q.name).join(', ')}`);
  lines.push(explainCorrelation(g));
  return lines;
}

/**
 * Kong's correlation-id plugin fills the header when the caller sent none. The proxy and the aggregator do;
 * API Gateway cannot on direct routes: an integration header mapping always sets its value, overwriting the caller's.
 */
function explainCorrelation(g: GatewayPlan): string {
  const { header, gatewayHeader } = g.correlationId;
  const direct = g.routes.some((r) => r.integration.kind === 'http-proxy');
  const lambda = g.proxies.length > 0 || g.aggregators.length > 0;
  const parts = [`  Correlation: ${header} from the caller is forwarded unchanged`];
  if (lambda) parts.push(`proxied and aggregate routes fill ${header} with the gateway request id when the caller sent none`);
  if (direct) {
    parts.push(
      `direct routes cannot (API Gateway's header mappings always overwrite, they cannot fill only a missing header), so there a request without ${header} reaches the upstream without it`,
    );
  }
  // AWS_PROXY to a Lambda service takes no header mappings: the event itself carries the id.
  const functions = g.routes.some((r) => r.integration.kind === 'lambda-function');
  const others = g.routes.some((r) => r.integration.kind !== 'lambda-function');
  if (others)
    parts.push(`${gatewayHeader} always carries the gateway request id${functions ? ' (to URL upstreams, the proxy and aggregates)' : ''}`);
  if (functions) parts.push('Lambda services read the gateway request id from the event (requestContext.requestId)');
  return parts.join('; ');
}
