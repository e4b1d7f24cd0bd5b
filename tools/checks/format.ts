// How the check runner talks to the reader: colours only on a terminal, and short lines.
import { relative } from 'node:path';
import type { ExerciseResult } from './run-checks';

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) =>
  useColour ? `\x1b[${code}m${text}\x1b[0m` : text;
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const dim = paint(2);
export const bold = paint(1);

export const shortPath = (file: string) => relative(process.cwd(), file) || file;

export type State = 'done' | 'failing' | 'not started' | 'broken';

export const stateLabel: Record<State, string> = {
  done: green('done'),
  failing: red('failing'),
  'not started': dim('not started'),
  broken: red('does not run'),
};

export function describeChecks(result: ExerciseResult): string[] {
  if (result.error) return [red('  ✗ no check could run:'), indent(result.error, 6)];
  return result.checks.flatMap((check) =>
    check.passed
      ? [green(`  ✓ ${check.title}`)]
      : [red(`  ✗ ${check.title}`), indent(check.message ?? '(no message)', 6), ''],
  );
}

export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${green('#'.repeat(filled))}${dim('.'.repeat(width - filled))}]`;
}

const indent = (text: string, n: number) => text.replace(/^/gm, ' '.repeat(n));
