// Parses and prints JSON bodies without losing number digits where the runtime allows it.

/** Node 22 (the Lambda target) has these; Node 20 only behind --harmony-json-parse-with-source. */
interface JsonWithSource {
  rawJSON?: (text: string) => unknown;
  isRawJSON?: (value: unknown) => boolean;
}

const { rawJSON, isRawJSON } = JSON as unknown as JsonWithSource;

/**
 * Keeps a number as its source text when a JS number would print it differently: ids past 2^53
 * and long decimals would otherwise come back with other digits after any JSON operation.
 */
function keepNumberSource(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || !rawJSON || context?.source === undefined) return value;
  return JSON.stringify(value) === context.source ? value : rawJSON(context.source);
}

/** The parsed document, or undefined when the text is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text, keepNumberSource);
  } catch {
    return undefined;
  }
}

/** A number kept as source text: a leaf, never an object to walk into. */
export function isRawJsonNumber(value: unknown): boolean {
  return isRawJSON?.(value) === true;
}

/** Whether parsed numbers keep their exact digits on this runtime. */
export const KEEPS_NUMBER_DIGITS = rawJSON !== undefined;
