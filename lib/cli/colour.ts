// ANSI colours for terminals only: never in pipes, files or CI logs, and never with NO_COLOR set (https://no-color.org).
import type { CliIo } from './io';

export interface Paint {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

const plain: Paint = { red: (t) => t, yellow: (t) => t, bold: (t) => t, dim: (t) => t };
const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function paintFor(io: CliIo): Paint {
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0';
  if (io.env.NO_COLOR || (!io.isTTY && !forced)) return plain;
  return { red: ansi(31, 39), yellow: ansi(33, 39), bold: ansi(1, 22), dim: ansi(2, 22) };
}
