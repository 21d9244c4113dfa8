// Refuses request paths with dot segments: `new URL()` and most upstream servers resolve them, which would leave the route's prefix.

/**
 * Whether a segment of `path` is `.` or `..` once its dots are decoded (`%2e`, any case, any mix) and
 * its matrix parameters dropped (`..;x`, which some servers such as Tomcat read as `..`). Segments are
 * split on `/` only: a client's `%2F` and `\` reach here percent-encoded, and stay inside their segment.
 */
export function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => {
    const dots = segment.replace(/%2e/gi, '.').split(';')[0];
    return dots === '.' || dots === '..';
  });
}
