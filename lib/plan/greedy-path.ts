// The catch-all child every prefix route gets: API Gateway's greedy `{proxy+}` segment (a leaf, so routes and proxy plans share it without a cycle).

/** The greedy path parameter of a prefix route's catch-all resource. */
export const GREEDY_SEGMENT = '{proxy+}';

/** The catch-all resource below `path`. */
export function greedyPath(path: string): string {
  return path === '/' ? `/${GREEDY_SEGMENT}` : `${path}/${GREEDY_SEGMENT}`;
}
