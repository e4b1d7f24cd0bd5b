// Every import a hint tells the reader to write resolves from their exercise file's folder
// (notebooks/exercises/): a hint pasted as given must not end in "Cannot find module".
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exercisePath, loadExercises, ROOT } from '../../tools/checks/manifest';

describe.each(loadExercises())('exercise $id: the imports its hints give', (exercise) => {
  const imports = exercise.hints.flatMap((hint) =>
    [...hint.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => m[1]),
  );
  it.skipIf(imports.length === 0)('resolve from the exercise file', () => {
    const folder = dirname(exercisePath(join(ROOT, 'notebooks/exercises'), exercise));
    for (const specifier of imports) {
      const target = resolve(folder, specifier);
      expect(
        ['.ts', '/index.ts', ''].some((end) => existsSync(`${target}${end}`)),
        `${specifier} (from ${folder})`,
      ).toBe(true);
    }
  });
});
