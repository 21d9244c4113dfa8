// "Did you mean" hints for misspelt keys and names, by edit distance.
import { distance } from 'fastest-levenshtein';

/** Returns ` (did you mean "x"?)` for the closest candidate within a small edit distance, or ''. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const best = closest(input, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

export function closest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    // Up to a third of the longer word may differ: "timout" → "timeoutMs" is close, "url" → "plans" is not.
    const tolerance = Math.max(2, Math.floor(Math.max(input.length, candidate.length) / 3));
    if (d <= tolerance && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
