// ConfigError: every problem of a config at once, each with its path and, for YAML, file:line:col.

/** A problem found before source positions are known. */
export interface RawIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface SpecIssue extends RawIssue {
  /** The path as a user reads it: gateways.public.routes[2].methods */
  readonly where: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** The `code` of every invalid-config error, whether thrown by the loader (ConfigError) or a construct (a CDK ValidationError). */
export const INVALID_SPEC_CODE = 'GATEHOUSE_INVALID_SPEC';

/**
 * Thrown by loadConfig/parseConfig/validateConfig and the planner; `issues` lists every problem, `message` prints them all.
 * `issues` and `code` are not enumerable, so Node prints an uncaught ConfigError (in a user's CDK app) as its
 * message and trace, not as a dump of the issue objects.
 */
export class ConfigError extends Error {
  declare readonly code: typeof INVALID_SPEC_CODE;
  declare readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[]) {
    super(formatIssues(issues));
    this.name = 'ConfigError';
    Object.defineProperty(this, 'issues', { value: issues, enumerable: false });
    Object.defineProperty(this, 'code', { value: INVALID_SPEC_CODE, enumerable: false });
  }

  override toString(): string {
    return this.message;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(top level)';
}

export function formatIssues(issues: readonly SpecIssue[]): string {
  const lines = issues.map((i) => {
    const position = i.file ? `${i.file}${i.line ? `:${i.line}:${i.column ?? 1}` : ''} ` : '';
    return `  ${position}${i.where}: ${i.message}`;
  });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `Invalid Gatehouse config (${count}):\n${lines.join('\n')}`;
}

/** Whether `err` reports an invalid config (a ConfigError, or the ValidationError a Gatehouse construct throws for one). */
export function isInvalidSpecError(err: unknown): err is Error & { readonly issues: readonly SpecIssue[] } {
  return (
    err instanceof Error && (err as { code?: unknown }).code === INVALID_SPEC_CODE && Array.isArray((err as { issues?: unknown }).issues)
  );
}

/** The issues without repeats (same field, same message), in their first order: two checks may find one problem. */
export function uniqueIssues(issues: RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path.join('.')}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
