// `npm run lint` must catch what it exists for, and leave the reader's exercise files alone. Each
// case lints a small text as if it were a new file of the project, with the project's own config.
// (A file that is not on disk is outside tsconfig.json, so the type-aware rules are told to give it
// TypeScript's default project: allowDefaultProject, for these probe names only.)
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const PROBES = ['tools/lint-probe.ts', 'src/components/LintProbe.tsx'];
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    files: PROBES,
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBES } } },
  },
});

async function rulesFiredOn(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('npm run lint', () => {
  it('reports a promise that nobody awaits', async () => {
    const rules = await rulesFiredOn(
      'tools/lint-probe.ts',
      'async function save(): Promise<void> {}\nexport function run(): void {\n  save();\n}\n',
    );
    expect(rules).toEqual(['@typescript-eslint/no-floating-promises']);
    // A guard against a hang, not a speed test: this first typed lint builds the TypeScript
    // program, which took 3 minutes on a machine with a load average of 30.
  }, 300_000);

  it('accepts the same promise when `void` says it is left on purpose', async () => {
    const rules = await rulesFiredOn(
      'tools/lint-probe.ts',
      'async function save(): Promise<void> {}\nexport function run(): void {\n  void save();\n}\n',
    );
    expect(rules).toEqual([]);
  }, 60_000);

  it('reports unused code', async () => {
    const rules = await rulesFiredOn('tools/lint-probe.ts', 'const unused = 1;\nexport {};\n');
    expect(rules).toEqual(['@typescript-eslint/no-unused-vars']);
  }, 60_000);

  it('reports a hook called conditionally in a component', async () => {
    const rules = await rulesFiredOn(
      'src/components/LintProbe.tsx',
      "import { useState } from 'react';\nexport function Probe({ on }: { on: boolean }) {\n  if (on) {\n    useState(0);\n  }\n  return null;\n}\n",
    );
    expect(rules).toEqual(['react-hooks/rules-of-hooks']);
  }, 60_000);

  it("leaves the reader's exercise files out, and lints the reference solutions", async () => {
    const ignored = (file: string) => eslint.isPathIgnored(join(ROOT, file));
    expect(await ignored('notebooks/exercises/01-request-path.ts')).toBe(true);
    expect(await ignored('notebooks/solutions/01-request-path.ts')).toBe(false);
  });
});
