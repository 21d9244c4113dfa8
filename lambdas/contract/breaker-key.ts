// The one name of an upstream target's breaker, so the proxy and the aggregator share its state wherever they call it from.

/**
 * `${service}#${target}`: a service's names are unique in a spec and its targets' names in the
 * service, so every gateway's proxy and every aggregate part calling the same upstream reads and
 * writes one breaker in the state table: an outage seen by one opens the circuit for all.
 */
export function breakerKey(service: string, target: string): string {
  return `${service}#${target}`;
}
