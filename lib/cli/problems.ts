// How the CLI prints a config's problems and the planner's warnings: as text (file:line:col first) or as JSON for CI.
import type { ConfigError, SpecIssue } from '../config/errors';
import { formatPosition } from '../config/source';
import type { AcknowledgedWarning, PlanWarning } from '../plan/types';
import type { Paint } from './colour';

export function formatProblems(err: ConfigError, paint: Paint): string {
  const count = err.issues.length === 1 ? '1 problem' : `${err.issues.length} problems`;
  const lines = err.issues.map((i) => `  ${paint.bold(formatPosition(i))}${i.where}: ${i.message}`);
  return `${paint.red(`Invalid Gatehouse config (${count}):`)}\n${lines.join('\n')}\n`;
}

export function formatWarning(w: PlanWarning, paint: Paint): string {
  return `  ${paint.yellow('warning')} ${w.code} ${paint.bold(formatPosition(w))}${w.where}: ${w.message}\n`;
}

export function problemJson(i: SpecIssue) {
  return { file: i.file, line: i.line, column: i.column, where: i.where, path: i.path, message: i.message };
}

export function warningJson(w: PlanWarning | AcknowledgedWarning) {
  return {
    code: w.code,
    file: w.file,
    line: w.line,
    column: w.column,
    where: w.where,
    message: w.message,
    ...('reason' in w ? { reason: w.reason } : {}),
  };
}
