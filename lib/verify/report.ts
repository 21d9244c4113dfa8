// How a verify report prints: a table (one check a line, failures with what was seen), or JSON for CI.
import type { Paint } from '../cli/colour';
import type { CheckResult, VerifyReport } from './types';

export function formatReport(report: VerifyReport, paint: Paint, options: { quiet?: boolean } = {}): string {
  const shown = options.quiet ? report.checks.filter((c) => c.status === 'fail') : report.checks;
  const idWidth = Math.min(60, Math.max(5, ...shown.map((c) => c.id.length)));
  const lines = options.quiet
    ? []
    : [
        `Verifying gateway ${report.gateway} (${report.flavor}) at ${report.url}`,
        '',
        `${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(idWidth)}  WHY`,
      ];
  for (const check of shown) {
    lines.push(`${statusLabel(check, paint)}  ${check.id.padEnd(idWidth)}  ${check.reason}`);
    if (!options.quiet) lines.push(`${' '.repeat(8 + idWidth)}  ${paint.dim(check.description)}`);
    if (check.status === 'fail') for (const line of evidenceLines(check)) lines.push(`${' '.repeat(8 + idWidth)}  ${line}`);
  }
  const { pass, fail, skip, requests } = report.summary;
  if (!options.quiet || fail) lines.push('', `${pass} passed, ${fail} failed, ${skip} skipped; ${requests} request(s) sent`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function statusLabel(check: CheckResult, paint: Paint): string {
  const label = check.status.toUpperCase().padEnd(6);
  return check.status === 'fail' ? paint.red(label) : check.status === 'skip' ? paint.yellow(label) : label;
}

function evidenceLines(check: CheckResult): string[] {
  return check.evidence.map((e) => {
    const seen = e.error
      ? `no answer (${e.error})`
      : `${e.status}${Object.keys(e.headers ?? {}).length ? ` ${JSON.stringify(e.headers)}` : ''}`;
    return `${e.request} → ${seen}${e.upstream ? `; upstream saw ${JSON.stringify(e.upstream)}` : ''}`;
  });
}
