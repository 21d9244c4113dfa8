// The VPC-link counts BENCHMARKS.md records: links and stack resources for N private services behind one NLB on two REST gateways.
import { validateConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';

const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders/50dc6c495c0c9188';

function spec(services: number, privately: boolean): unknown {
  const names = Array.from({ length: services }, (_, i) => `svc${i}`);
  return {
    account: { region: 'eu-west-1' },
    services: Object.fromEntries(
      names.map((n) => [n, privately ? { url: `http://${n}.internal:8080`, private: { nlb: NLB } } : { url: `https://${n}.example.com` }]),
    ),
    gateways: {
      public: { routes: names.map((n) => ({ service: n, paths: [`/${n}`] })) },
      partner: { routes: names.map((n) => ({ service: n, paths: [`/partner/${n}`] })) },
    },
  };
}

/** The table of links and stack resources at 1, 10 and 50 services, against the same services over https://. */
export function vpcLinkMarkdown(): string {
  const rows = [1, 10, 50].map((n) => {
    const withLinks = planSpec(validateConfig(spec(n, true)));
    const without = planSpec(validateConfig(spec(n, false)));
    const created = withLinks.vpcLinks.filter((l) => l.existingId === undefined).length;
    return `| ${n} | ${2 * n} | ${created} | ${withLinks.stackResources} | ${without.stackResources} | ${withLinks.stackResources - without.stackResources} |`;
  });
  return [
    '| private services behind one NLB | routes (2 REST gateways) | VPC links created | stack resources | same services over https:// | difference |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
