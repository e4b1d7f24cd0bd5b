// Figures a chapter page quotes, taken from the recorded run of its notebook
// (src/components/NotebookOutput/runs, committed; `npm run notebook-pages` refreshes it): the notebook
// page shows that run's outputs, so the chapter and its notebook page quote one run. The notebook
// records them with `recordFigures('NN-slug', { … })` (notebooks/lab/node/figures.ts) in a late cell.
// A page writes only chapter="…": the build adds record={…} (constants={…} for <Constant>), that one
// chapter's file from ./runs (./constants), so a page carries its own chapter's figures and no other
// (./remark-records.ts).
//
//   <Figure chapter="06-state-that-remains" path="replication.slow.lost" digits={0} unit="ms" />
//     one value in a sentence: a number (toFixed(digits), digits default 0, then the unit) or a
//     string as it is (a verdict the notebook computed, such as "fewer").
//   <FigureTable chapter="07-price-of-statelessness" rows="cache.products" columns={[
//     { label: 'request', key: 'label' },
//     { label: 'p50 ms', key: 'p50', digits: 3 },
//     { label: 'p50 × first row', key: 'p50', ratioToFirst: true },
//   ]} />
//     an array of row objects, one column per { label, key, digits?, unit?, ratioToFirst? }, and a
//     line saying where and when the run measured them.
//   <FigureChart chapter="02-many-servers" name="latencyChart" />
//     a chart the notebook drew and displayed (groupedBars/lineChart, notebooks/lab/core/charts.ts) and
//     recorded as a figure (`figures.latencyChart = chart`): the same SVG, as an <img> of a data: URL
//     whose alt text is its title and description (as on the notebook page), and the line under it.
//   <Constant chapter="07-price-of-statelessness" name="TTL_MS" unit="ms" />
//     an input the notebook's code sets (`const TTL_MS = 1000;`), not a measurement: shown from the
//     notebook's literal, with or without a run.
//
// With no recorded run (or a run that recorded no figures), a Figure, FigureTable or FigureChart shows a short
// placeholder that says how to get one (marked data-figures-missing, which .ci/run rejects): never a
// number that was not measured. A path, a key or a constant the notebook did not record or set is an
// error that fails the build, so a typo cannot pass as "not measured".
import type { ReactNode } from 'react';
import { constantValue, type NotebookConstants } from './notebook-constants';
import { svgAlt, svgDataUrl, svgSize } from '../NotebookOutput/svg';
import styles from './styles.module.css';
import InPlace from '../../theme/InPlace';
import {
  chapterRun,
  chartFigure,
  formatFigure,
  figureText,
  measuredOn,
  tableCells,
  type ChapterRun,
  type FigureColumn,
  type FigureRecord,
} from './figures';

export type { FigureColumn } from './figures';

/**
 * What the build gives a component: the chapter's file, null when there is none (no run yet), or
 * undefined on a page the build's remark plugin did not see, which fails rather than show a
 * placeholder for a run that may well exist.
 */
function given<T>(value: T | null | undefined, component: string, chapter: string): T | null {
  if (value === undefined)
    throw new Error(
      `<${component} chapter="${chapter}">: the build gives it its chapter's record ` +
        '(src/components/Figures/remark-records.ts, in docusaurus.config.ts), and did not here: ' +
        'use it in a page under docs/.',
    );
  return value;
}

/** The recorded run of a chapter's notebook, if it recorded figures. */
const runOf = (
  component: string,
  props: { chapter: string; record?: FigureRecord | null },
): ChapterRun | undefined => {
  const record = given(props.record, component, props.chapter);
  return chapterRun(record ? [record] : [], props.chapter);
};

/** The record the build gives a Figure, FigureTable or FigureChart (null: no run of the chapter). */
type Recorded = { record?: FigureRecord | null };

export function Figure(
  props: {
    chapter: string;
    path: string;
    digits?: number;
    unit?: string;
  } & Recorded,
): ReactNode {
  const run = runOf('Figure', props);
  if (!run) {
    return (
      <em data-figures-missing>
        (not measured in this build: run <code>npm run notebook-pages</code>, then build again or
        restart <code>npm start</code>)
      </em>
    );
  }
  return <strong>{figureText(run, props.path, props)}</strong>;
}

/** What a FigureTable or FigureChart shows when the build has no run of the chapter's notebook. */
function NoRun({ chapter }: { chapter: string }): ReactNode {
  return (
    <div className="alert alert--secondary" role="note" data-figures-missing>
      No run of <code>notebooks/{chapter}.ipynb</code> in this build, so no measured figures here.
      Run <code>npm run notebook-pages</code> (it runs the notebook and records what it measured),
      then build again or restart <code>npm start</code>.
    </div>
  );
}

export function FigureTable(
  props: {
    chapter: string;
    rows: string;
    columns: FigureColumn[];
  } & Recorded,
): ReactNode {
  const run = runOf('FigureTable', props);
  if (!run) return <NoRun chapter={props.chapter} />;
  const cells = tableCells(run, props.rows, props.columns);
  return (
    <>
      {/* tabIndex: a wide table scrolls sideways, and keyboard users must reach it. Nothing in it
          needs React: the browser takes back the server's table (InPlace). */}
      <InPlace as="table" tabIndex={0}>
        <thead>
          <tr>
            {props.columns.map((c, j) => (
              <th key={j}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cells.map((row, i) => (
            <tr key={i}>
              {row.map((text, j) => (
                <td key={j}>{text}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </InPlace>
      <p>
        <small>{measuredOn(run)}</small>
      </p>
    </>
  );
}

/** A chart the chapter's notebook drew from its run, as an image (an SVG never runs inside an <img>). */
export function FigureChart(props: { chapter: string; name: string } & Recorded): ReactNode {
  const run = runOf('FigureChart', props);
  if (!run) return <NoRun chapter={props.chapter} />;
  const chart = chartFigure(run, props.name);
  if (typeof chart === 'string') {
    // The notebook could not draw it in this run, and recorded why.
    return (
      <div className="alert alert--secondary" role="note">
        No chart here: {chart}
      </div>
    );
  }
  // As a file of the build (./record-loader.cjs), or as the notebook recorded it.
  const { width, height } = chart.src ? chart : svgSize(chart.svg ?? '');
  return (
    <figure className={styles.chart}>
      <img
        src={chart.src ?? svgDataUrl(chart.svg ?? '')}
        alt={svgAlt(`${chart.title}\n${chart.description}`)}
        width={width}
        height={height}
        loading="lazy"
        decoding="async"
      />
      <figcaption>
        <small>{measuredOn(run)}</small>
      </figcaption>
    </figure>
  );
}

/** An input the chapter's notebook sets in its code, from its literal: the same in every run. */
export function Constant(props: {
  chapter: string;
  name: string;
  digits?: number;
  unit?: string;
  /** The chapter's ./constants file, from the build (null: the notebook has none). */
  constants?: NotebookConstants[string] | null;
}): ReactNode {
  const set = given(props.constants, 'Constant', props.chapter);
  const constants: NotebookConstants = set ? { [props.chapter]: set } : {};
  return <>{formatFigure(constantValue(constants, props.chapter, props.name), props)}</>;
}
