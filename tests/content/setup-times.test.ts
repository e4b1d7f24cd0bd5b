// How long the newcomer's commands take is measured (tools/time-setup.ts writes
// src/components/SetupTimes/setup-times.json), never typed: the setup page renders every step from
// that record, and the README, which cannot render it, states the same words for each step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  durationText,
  SETUP_STEPS,
  type SetupTimes,
} from '../../src/components/SetupTimes/setup-times';
import { ROOT } from './docs';

const times = JSON.parse(
  readFileSync(join(ROOT, 'src/components/SetupTimes/setup-times.json'), 'utf8'),
) as SetupTimes;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const setupPage = readFileSync(join(ROOT, 'docs/00-setup.mdx'), 'utf8');

/** What the README's "How long it takes" must say of each step, on the row that names its command. */
function readmeProblems(readmeText: string, record: SetupTimes): string[] {
  const text = readmeText.split(/^## How long it takes$/m)[1]?.split(/^## /m)[0] ?? '';
  if (!text) return ['the README has no "## How long it takes" section'];
  const problems = SETUP_STEPS.flatMap(({ id, command }) => {
    const row = text.split('\n').find((line) => line.startsWith(`| \`${command}\``));
    if (!row) return [`no README table row starts with | \`${command}\``];
    const words =
      durationText(record.seconds[id]) +
      (id === 'install' && record.installCompiledSqlite ? ', SQLite compiled from source' : '');
    return row.includes(words) ? [] : [`the row of \`${command}\` does not say "${words}"`];
  });
  const cores = `${record.machine.cpus}-core`;
  return text.includes(cores) ? problems : [...problems, `the section does not say "${cores}"`];
}

describe('the measured setup times', () => {
  it('are a whole record: every step, a commit, a date, a machine', () => {
    for (const { id } of SETUP_STEPS) expect(times.seconds[id], id).toBeGreaterThan(0);
    expect(times.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Number.isNaN(Date.parse(times.measuredAt))).toBe(false);
    expect(times.machine.cpus).toBeGreaterThan(0);
  });

  it('are all on the setup page, rendered from the record', () => {
    for (const { id } of SETUP_STEPS) expect(setupPage).toContain(`<SetupTime step="${id}" />`);
    expect(setupPage).toContain('<SetupMachine />');
    expect(setupPage).toContain('<SetupConditions />');
  });

  it('are stated in the README as the record has them', () => {
    expect(readmeProblems(readme, times)).toEqual([]);
  });
});

describe('the words for a duration, and the README check', () => {
  it('round to what a reader plans with', () => {
    expect([20, 44, 45, 89, 90, 840, 871].map(durationText)).toEqual([
      'under a minute',
      'under a minute',
      'about a minute',
      'about a minute',
      'about 2 minutes',
      'about 14 minutes',
      'about 15 minutes',
    ]);
  });

  it('catches a stale README row, a missing one, a missing core count and a missing section', () => {
    const stale = readme.replace(/^\| `npm test`.*$/m, (row) =>
      row.replace(durationText(times.seconds.test), 'about 99 minutes'),
    );
    expect(readmeProblems(stale, times)).toEqual([
      `the row of \`npm test\` does not say "${durationText(times.seconds.test)}"`,
    ]);
    const noRow = readme.replace(/^\| `npm test`.*$/m, '');
    expect(readmeProblems(noRow, times)).toEqual(['no README table row starts with | `npm test`']);
    const otherCores = { ...times, machine: { ...times.machine, cpus: 64 } };
    expect(readmeProblems(readme, otherCores)).toEqual(['the section does not say "64-core"']);
    expect(readmeProblems(readme.replace('## How long it takes', '## Timing'), times)).toEqual([
      'the README has no "## How long it takes" section',
    ]);
  });
});
