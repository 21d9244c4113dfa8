// How API Gateway orders path templates when it matches a request (literal, then parameter, then greedy), as the planner
// and `explain` list routes; the path grammar itself is the config's (lib/config/path-template.ts).
//
// "Routing API requests": a route matches most specifically first, an explicit path beats a path variable, which beats
// a greedy variable (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
import { parsePathTemplate, type PathSegment } from '../config/path-template';

/**
 * API Gateway's match order: negative when `a` is tried (and wins) before `b`. Segment by segment from the left, a
 * literal beats a parameter, which beats a greedy parameter; a path that ends where the other goes on comes after
 * its literal and parameter children and before its greedy one (`/users/{id}`, `/users`, `/users/{proxy+}`).
 * Different literals at the same place never compete, so their subtrees are ordered by name (a route table reads as
 * a tree). Ties (equal shapes) fall back to the path text.
 */
export function compareMatchOrder(a: string, b: string): number {
  const sa = parsePathTemplate(a).segments;
  const sb = parsePathTemplate(b).segments;
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const ra = rank(sa[i]);
    const rb = rank(sb[i]);
    if (ra !== rb) return rb - ra;
    // Two different literals never compete: keep their subtrees together, by name.
    const [la, lb] = [sa[i], sb[i]];
    if (la?.kind === 'literal' && lb?.kind === 'literal' && la.value !== lb.value) return la.value < lb.value ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Specificity at one position: a literal, then a parameter, then the path's end, then a greedy parameter (the catch-all goes last). */
function rank(segment: PathSegment | undefined): number {
  if (!segment) return 2;
  return segment.kind === 'literal' ? 4 : segment.kind === 'param' ? 3 : 1;
}
