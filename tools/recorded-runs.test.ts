// ranGreenSince: what lets CI run each notebook once. The records CI's own run wrote stand in for a
// second run only when each one is of this notebook's text, against this lab, green, and made after
// CI's run began; any other record is refused with the reason.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labSha256, ranGreenSince, recordText, sha256 } from './recorded-runs';

const root = mkdtempSync(join(tmpdir(), 'statelab-ran-since-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const labDir = join(root, 'lab');
const runsDir = join(root, 'runs');
mkdirSync(join(labDir, 'core'), { recursive: true });
mkdirSync(runsDir);
writeFileSync(join(labDir, 'core', 'shop.ts'), 'export const shop = 1;\n');

const NOTEBOOK =
  JSON.stringify({
    cells: [
      { cell_type: 'markdown', id: 'intro', source: '# One' },
      { cell_type: 'code', id: 'serve', source: 'serve()' },
      { cell_type: 'code', id: 'measure', source: 'measure()' },
    ],
  }) + '\n';
const GREEN = { serve: { status: 'ok', outputs: [] }, measure: { status: 'ok', outputs: [] } };
const BEGAN = '2026-12-02T02:00:00.000Z';
const dirs = { runsDir, labDir };

function record(
  fields: Partial<{ ok: boolean; ranAt: string; text: string; lab: string; cells: object }>,
) {
  const { ok = true, ranAt = '2026-12-02T02:03:00.000Z', text = NOTEBOOK } = fields;
  writeFileSync(
    join(runsDir, '01-request-path.json'),
    recordText({
      notebook: '01-request-path',
      notebookSha256: sha256(text),
      labSha256: fields.lab ?? labSha256(labDir),
      ok,
      failure: ok ? undefined : 'cell 3 failed: Error: a claim did not hold',
      ranAt,
      cells: fields.cells ?? GREEN,
    }),
  );
}

describe('ranGreenSince: a record stands for a run only when it is this run’s', () => {
  it('accepts a green run of this text and this lab, made after the run began', () => {
    record({});
    expect(ranGreenSince('01-request-path', NOTEBOOK, BEGAN, dirs)).toBeUndefined();
  });

  it('refuses a record made before the run began: the committed one, not this run’s', () => {
    record({ ranAt: '2026-12-01T23:57:17.438Z' });
    expect(ranGreenSince('01-request-path', NOTEBOOK, BEGAN, dirs)).toMatch(
      /ran at 2026-12-01T23:57:17.438Z, before 2026-12-02T02:00:00.000Z/,
    );
  });

  it('refuses a run that failed, naming its failure', () => {
    record({ ok: false });
    expect(ranGreenSince('01-request-path', NOTEBOOK, BEGAN, dirs)).toMatch(
      /failed: cell 3 failed: Error: a claim did not hold/,
    );
  });

  it('refuses a record that says ok while a code cell did not run green, or is missing', () => {
    record({ cells: { ...GREEN, measure: { status: 'failed', outputs: [] } } });
    expect(ranGreenSince('01-request-path', NOTEBOOK, BEGAN, dirs)).toMatch(
      /cell 3 \(id measure\) is failed/,
    );
    record({ cells: { serve: GREEN.serve } });
    expect(ranGreenSince('01-request-path', NOTEBOOK, BEGAN, dirs)).toMatch(
      /cell 3 \(id measure\) is not in the record/,
    );
  });

  it('refuses a run of other notebook text, or against another lab', () => {
    record({ text: '{"cells": []}\n' });
    expect(ranGreenSince('01-request-path', NOTEBOOK, BEGAN, dirs)).toMatch(/other notebook text/);
    record({ lab: sha256('another lab') });
    expect(ranGreenSince('01-request-path', NOTEBOOK, BEGAN, dirs)).toMatch(/another lab/);
  });

  it('refuses a missing record and a start that is not a date', () => {
    expect(ranGreenSince('02-many-servers', NOTEBOOK, BEGAN, dirs)).toMatch(/no recorded run/);
    record({});
    expect(ranGreenSince('01-request-path', NOTEBOOK, 'yesterday', dirs)).toMatch(
      /STATELAB_NOTEBOOKS_RAN_SINCE="yesterday" is not a date/,
    );
  });
});
