// Bundles the aggregator handler with its route's config baked in: the Lambda asset the construct ships.
import { bundleHandler, type HandlerBundle } from './bundle-handler';
import { LAMBDA_CALLER_EXTERNAL } from '../../../lambdas/shared/lambda-sender';
import { AGGREGATOR_CONFIG_GLOBAL, type AggregatorConfig } from '../../../lambdas/contract/aggregator-config';

export type AggregatorBundle = HandlerBundle;

/** Writes `<outdir>/index.js`: the handler with `config` injected as a JSON literal in place of `__GATEHOUSE_AGGREGATOR_CONFIG__`. */
export function bundleAggregator(config: AggregatorConfig, outdir: string): AggregatorBundle {
  return bundleHandler('aggregator/handler', outdir, { [AGGREGATOR_CONFIG_GLOBAL]: JSON.stringify(config) }, aggregatorLeftOut(config));
}

/** The Lambda caller (~9 KB) ships only in aggregators with a Lambda part. */
export function aggregatorLeftOut(config: AggregatorConfig): string[] {
  return Object.values(config.parts).some((part) => part.lambda !== undefined) ? [] : [LAMBDA_CALLER_EXTERNAL];
}
