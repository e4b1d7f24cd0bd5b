// A notebook page's outputs (docs/notebooks/*.mdx): read from the run `npm run notebook-pages`
// recorded in ./runs (committed, so a fresh clone shows them). A page writes only notebook="…": the
// build adds record={…}, that notebook's file alone, so a page carries its own run and no other
// (../Figures/remark-records.ts). A page shows a run only when that run
// executed exactly the notebook text the page was generated from; otherwise it says that no outputs
// are available (tests/content/recorded-runs.test.ts keeps a committed record from going stale).
import { useEffect, useId, type ComponentType, type CSSProperties, type ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import Diagram from '@site/src/components/Diagram';
import { DIAGRAMS_URL, diagramAlt } from '@site/src/diagrams/config';
import Admonition from '@theme/Admonition';
import {
  parseInline,
  parseMarkdownOutput,
  runFor,
  stripAnsi,
  type RunOutput,
  type RunRecord,
} from './run';
import { serverHtml } from '@site/src/theme/server-html';
import { isSvgFile } from './svg';
import { layOutWhenNear } from './lay-out-near';
import { tableSizeVars } from './table-size';
import SvgOutput from './SvgOutput';
import styles from './styles.module.css';

interface PageProps {
  /** NN-slug of the notebook. */
  notebook: string;
  /** sha256 of the .ipynb the page was generated from. */
  sha256: string;
  /** The notebook's file from ./runs, from the build (null: no run recorded). */
  record?: RunRecord | null;
}

/** What draws a diagram the run has no drawing of: ../Diagram/InBrowser.tsx, from the build. */
type DrawInBrowser = ComponentType<{ title: string; description: string; source: string }>;

/**
 * The run this page shows, if it ran exactly the page's notebook. A component on a page the build's
 * remark plugin did not see has no record at all (undefined), and fails rather than say "no run".
 */
function pageRun({ notebook, sha256, record }: PageProps): RunRecord | undefined {
  if (record === undefined)
    throw new Error(
      `<NotebookOutputs notebook="${notebook}">: the build gives it its notebook's record ` +
        '(src/components/Figures/remark-records.ts, in docusaurus.config.ts), and did not here.',
    );
  return runFor(record ? [record] : [], notebook, sha256);
}

function Inline({ text }: { text: string }): ReactNode {
  return parseInline(text).map((part, i) =>
    part.kind === 'code' ? (
      <code key={i}>{part.text}</code>
    ) : part.kind === 'strong' ? (
      <strong key={i}>{part.text}</strong>
    ) : part.kind === 'em' ? (
      <em key={i}>{part.text}</em>
    ) : (
      <span key={i}>{part.text}</span>
    ),
  );
}

/** A row's cells as the reader sees their text, without the Markdown marks. */
function cellTexts(row: string[]): string[] {
  return row.map((cell) =>
    parseInline(cell)
      .map((part) => part.text)
      .join(''),
  );
}

interface OutputProps {
  run: RunRecord;
  drawInBrowser?: DrawInBrowser;
}

function MarkdownOutput({ markdown, ...props }: OutputProps & { markdown: string }): ReactNode {
  return parseMarkdownOutput(markdown).map((block, i) => {
    switch (block.kind) {
      case 'mermaid':
        return <OutputDiagram key={i} source={block.text} {...props} />;
      case 'code':
        return (
          <CodeBlock key={i} language={block.language}>
            {block.text}
          </CodeBlock>
        );
      case 'table':
        return (
          // tabIndex: a wide table scrolls sideways, and keyboard users must reach it (axe: scrollable-region-focusable).
          // The size variables: its estimated height until it is laid out (./styles.module.css).
          <table
            key={i}
            tabIndex={0}
            className={styles.table}
            style={tableSizeVars([block.header, ...block.rows].map(cellTexts)) as CSSProperties}
          >
            <thead>
              <tr>
                {block.header.map((cell, j) => (
                  <th key={j}>
                    <Inline text={cell} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, j) => (
                    <td key={j}>
                      <Inline text={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      case 'heading':
        return (
          <p key={i}>
            <strong>
              <Inline text={block.text} />
            </strong>
          </p>
        );
      default:
        return (
          <p key={i}>
            <Inline text={block.text} />
          </p>
        );
    }
  });
}

/**
 * A diagram the run displayed: its drawing from static/diagrams/runs, or drawn in the browser by
 * drawInBrowser, which the build gives a page whose run has a diagram with no drawing (without it,
 * the diagram's text).
 */
function OutputDiagram({
  source,
  run,
  drawInBrowser: DrawInBrowser,
}: OutputProps & { source: string }): ReactNode {
  const drawing = run.drawings?.find((d) => d.source === source);
  const alt = diagramAlt(source);
  const title = alt.title || 'A diagram the notebook drew';
  const description = alt.description || 'Its text follows in the notebook.';
  if (!drawing && DrawInBrowser)
    return <DrawInBrowser title={title} description={description} source={source} />;
  if (!drawing) return <Diagram title={title} description={description} source={source} />;
  const url = (theme: string) => `${DIAGRAMS_URL}/runs/${drawing.key}-${theme}.svg`;
  return (
    <Diagram
      title={title}
      description={description}
      light={url('light')}
      dark={url('dark')}
      width={drawing.width}
      height={drawing.height}
    />
  );
}

function Output({ output, ...props }: OutputProps & { output: RunOutput }): ReactNode {
  if (output.output_type === 'stream') {
    return <pre className={styles.stream}>{stripAnsi(output.text)}</pre>;
  }
  if (output.output_type === 'error') {
    return (
      <pre className={styles.error} role="alert">
        {stripAnsi([`${output.ename}: ${output.evalue}`, ...output.traceback].join('\n'))}
      </pre>
    );
  }
  const markdown = output.data['text/markdown'];
  if (typeof markdown === 'string') return <MarkdownOutput markdown={markdown} {...props} />;
  const plain = output.data['text/plain'];
  // nbformat may store a text output as a list of lines.
  const svg = output.data['image/svg+xml'];
  if (isSvgFile(svg)) return <SvgOutput svg={svg} plain={plain} />;
  if (typeof svg === 'string' || Array.isArray(svg)) {
    return <SvgOutput svg={[svg].flat().join('')} plain={plain} />;
  }
  return <pre className={styles.stream}>{stripAnsi(String(plain ?? ''))}</pre>;
}

/**
 * Outputs React need not hydrate: printed text, tables and images, nothing a reader clicks. A code
 * block (its copy button) or a diagram (its full-size view) in a Markdown output is interactive.
 */
export function isStatic(outputs: RunOutput[]): boolean {
  return outputs.every((output) => {
    const markdown =
      output.output_type === 'display_data' || output.output_type === 'execute_result'
        ? output.data['text/markdown']
        : undefined;
    return typeof markdown !== 'string' || !/^(```|~~~)/m.test(markdown);
  });
}

/**
 * The outputs of one code cell, from the recorded run (nothing when there is no run). The server
 * renders them in full; while the page hydrates, static outputs take back the server's HTML as one
 * string (src/theme/server-html.ts): a notebook page prints tables of hundreds of cells, and
 * hydrating each cell cost the page most of its Total Blocking Time.
 */
export default function NotebookOutputs({
  cell,
  drawInBrowser,
  ...page
}: PageProps & { cell: string; drawInBrowser?: DrawInBrowser }) {
  const id = useId();
  // Its tables are laid out once within a screen of the viewport (./lay-out-near.ts).
  useEffect(() => {
    const outputs = document.getElementById(id);
    if (!outputs) return;
    return layOutWhenNear(outputs.querySelectorAll(`.${styles.table}`));
  }, [id]);
  const run = pageRun(page);
  const recorded = run?.cells[cell];
  if (!run || !recorded) return null;
  if (recorded.status === 'not-run') {
    return <p className={styles.label}>Not run: an earlier cell failed.</p>;
  }
  if (recorded.outputs.length === 0) return null;
  const hydrating = isStatic(recorded.outputs) ? serverHtml(id) : undefined;
  if (hydrating !== undefined) {
    return (
      <div
        id={id}
        className={styles.outputs}
        aria-label="Output of the cell above"
        dangerouslySetInnerHTML={{ __html: hydrating }}
      />
    );
  }
  return (
    <div id={id} className={styles.outputs} aria-label="Output of the cell above">
      <div className={styles.label}>Output</div>
      {recorded.outputs.map((output, i) => (
        <Output key={i} output={output} run={run} drawInBrowser={drawInBrowser} />
      ))}
    </div>
  );
}

/** Where and when the outputs on this page were produced, or that none were. */
export function NotebookRunInfo(page: PageProps): ReactNode {
  const run = pageRun(page);
  if (!run) {
    return (
      <Admonition type="note" title="No outputs on this page">
        <p>
          This version of the notebook has no recorded run yet (it changed since the last one), so
          the page shows its text and code only: where the text refers to what a cell printed, there
          is nothing to see. Run <code>npm run notebook-pages</code> to record one (it runs only the
          notebooks that changed), then build again or restart <code>npm start</code>; or run the
          notebook yourself.
        </p>
      </Admonition>
    );
  }
  const m = run.machine;
  return (
    <Admonition type={run.ok ? 'info' : 'danger'} title="Where these outputs come from">
      <p>
        Every output below was printed by one run of this notebook in the tslab kernel, recorded on{' '}
        {new Date(run.ranAt).toUTCString()} by a machine with Node {m.node} on {m.platform}/{m.arch}
        , {m.cpus} CPU{m.cpus === 1 ? '' : 's'} ({m.cpuModel}): {(run.durationMs / 1000).toFixed(1)}{' '}
        s in all. Your machine will print other timings; the counts that do not depend on speed
        should match. <code>npm run notebook-pages -- --fresh</code> records a run on yours instead.
      </p>
      {run.ok ? null : <p>This run failed: {run.failure}</p>}
    </Admonition>
  );
}
