// Bundles the aggregator handler with its route's config baked in: the Lambda asset the construct ships.
import { bundleHandler, type HandlerBundle } from './bundle-handler';
import { AGGREGATOR_CONFIG_GLOBAL, type AggregatorConfig } from '../../../lambdas/contract/aggregator-config';

export type AggregatorBundle = HandlerBundle;

/** Writes `<outdir>/index.js`: the handler with `config` injected as a JSON literal in place of `__GATEHOUSE_AGGREGATOR_CONFIG__`. */
export function bundleAggregator(config: AggregatorConfig, outdir: string): AggregatorBundle {
  return bundleHandler('aggregator/handler', outdir, { [AGGREGATOR_CONFIG_GLOBAL]: JSON.stringify(config) });
}
