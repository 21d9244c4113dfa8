// Which parts wait for which, read from their placeholders; runs every part as soon as the parts it uses are done.
export { partDependencies, topologicalOrder } from '../contract/part-order';

/**
 * Runs `run` once per part: a part without sources starts at once, a dependent one the moment the last
 * of its sources settles (not when a whole "level" does). `run` gets the outcomes settled so far and
 * must not reject; resolves with every outcome.
 */
export async function runInDependencyOrder<T>(
  order: readonly string[],
  needs: ReadonlyMap<string, readonly string[]>,
  run: (name: string, settled: ReadonlyMap<string, T>) => Promise<T>,
): Promise<Map<string, T>> {
  const settled = new Map<string, T>();
  const running = new Map<string, Promise<void>>();
  // In topological order every source's promise exists before its dependants ask for it.
  for (const name of order) {
    const sources = (needs.get(name) ?? []).map((source) => running.get(source) as Promise<void>);
    const started = sources.length === 0 ? run(name, settled) : Promise.all(sources).then(() => run(name, settled));
    running.set(
      name,
      started.then((outcome) => void settled.set(name, outcome)),
    );
  }
  await Promise.all(running.values());
  return settled;
}
