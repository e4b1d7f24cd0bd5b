// The starters as shipped are formatted and type-check, strictly, as the reader's editor shows
// them. `npm run format:check`, `lint` and `typecheck` leave notebooks/exercises/*.ts out
// (.prettierignore, eslint.config.mjs, tsconfig.json): those are the reader's files, and how a reader writes a correct answer (double
// quotes, an import left unused) must never break `npm test`. So this test reads a starter only
// while its hash is the one notebooks/exercises.json records: the starter as shipped. A file the
// reader has changed is skipped, with a word; in CI (a fresh clone) every starter is as shipped.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import prettier from 'prettier';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { exercisePath, loadExercises, ROOT, sha256OfText } from '../tools/checks/manifest';

const STARTERS = join(ROOT, 'notebooks/exercises');
const starters = loadExercises().map((exercise) => {
  const file = exercisePath(STARTERS, exercise);
  return {
    file,
    name: relative(ROOT, file),
    shipped: existsSync(file) && sha256OfText(file) === exercise.starterSha256,
  };
});
const shipped = starters.filter((s) => s.shipped);
const edited = starters.filter((s) => !s.shipped).map((s) => s.name);
if (edited.length > 0 && !process.env.CI) {
  console.warn(
    `${edited.join(', ')}: edited (yours); the starters' format and type checks run in CI.`,
  );
}

describe('the starters as shipped', () => {
  it('are all here, untouched, in CI', () => {
    if (process.env.CI) expect(edited, 'starterSha256 in notebooks/exercises.json').toEqual([]);
  });

  it.each(shipped.map((s) => [s.name, s.file]))(
    '%s is formatted as Prettier formats the project',
    async (name, file) => {
      const options = await prettier.resolveConfig(file);
      const formatted = await prettier.check(readFileSync(file, 'utf8'), {
        ...options,
        filepath: file,
      });
      // .prettierignore hides the file from a plain `prettier --write`; this names it past that.
      expect(
        formatted,
        `npx prettier --ignore-path .gitignore --write ${name}, then its new hash`,
      ).toBe(true);
    },
  );

  it(
    'type-check with notebooks/exercises/tsconfig.json, the strict options the reader’s editor uses',
    { timeout: 120_000 },
    () => {
      const config = ts.getParsedCommandLineOfConfigFile(
        join(STARTERS, 'tsconfig.json'),
        undefined,
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
          },
        },
      )!;
      const program = ts.createProgram(
        shipped.map((s) => s.file),
        config.options,
      );
      const host: ts.FormatDiagnosticsHost = {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => '\n',
      };
      const problems = [...config.errors, ...ts.getPreEmitDiagnostics(program)].map((d) =>
        ts.formatDiagnostic(d, host).trim(),
      );
      expect(problems).toEqual([]);
    },
  );
});
