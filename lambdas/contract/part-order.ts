// Which parts of an aggregate wait for which, read from their placeholders, and an order that respects it (cycles refused):
// the planner checks it at synth, the aggregator runs by it.
import { isRequestSource, parsePathTemplate } from './aggregate-template';

/** For each part, the parts whose answers its path uses, in template order, without repeats. */
export function partDependencies(parts: Readonly<Record<string, { readonly pathTemplate: string }>>): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  for (const [name, part] of Object.entries(parts)) {
    let template;
    try {
      template = parsePathTemplate(part.pathTemplate);
    } catch (error) {
      throw new TypeError(`part ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
    const sources = template.placeholders.map((p) => p.source).filter((source) => !isRequestSource(source));
    for (const source of sources) {
      if (!Object.hasOwn(parts, source)) {
        throw new TypeError(`part ${JSON.stringify(name)} uses {${source}.…}, which is neither claims, path, query nor a part`);
      }
    }
    needs.set(name, [...new Set(sources)]);
  }
  return needs;
}

/** The parts ordered so each comes after the parts it needs (declaration order otherwise); a cycle throws TypeError naming its parts. */
export function topologicalOrder(needs: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: readonly string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new TypeError(`part ${JSON.stringify(name)} depends on itself: ${cycle.join(' → ')}`);
    }
    state.set(name, 'visiting');
    for (const source of needs.get(name) ?? []) visit(source, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of needs.keys()) visit(name, []);
  return order;
}
