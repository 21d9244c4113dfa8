// The grammar of an aggregate's `select` paths (`orders[].id`): checked by the planner, compiled by the aggregator.

/** One key of a select path; `each` when it ends in `[]`: the rest applies to every element of the array there. */
export interface SelectStep {
  readonly key: string;
  readonly each: boolean;
}

const STEP = /^([^.[\]]+)(\[\])?$/;

/** Parses `orders[].id` into steps; a malformed path (empty segment, stray bracket) throws TypeError. */
export function parseSelectPath(path: string): SelectStep[] {
  if (typeof path !== 'string' || path === '') throw new TypeError(`select path ${JSON.stringify(path)} is empty`);
  return path.split('.').map((segment) => {
    const match = STEP.exec(segment);
    if (match === null) throw new TypeError(`select path ${JSON.stringify(path)} has a bad segment ${JSON.stringify(segment)}`);
    return { key: match[1] as string, each: match[2] !== undefined };
  });
}
