// The bundler's loader behind the recorded runs a page quotes (./remark-records.ts): it keeps in the
// page's bundle what the page renders of a run record and leaves the rest in the file.
//   runs/NN-slug.json?figures=a.b,rows   (a chapter page's Figure, FigureTable, FigureChart, Quiz)
//     the figures at those paths, and where and when the run happened; no other figure
//   runs/NN-slug.json?outputs            (a notebook page's NotebookOutputs, NotebookRunInfo)
//     the record without its figures (the chapter page's, which a notebook page never shows)
// A path the run did not record is left out: the component then fails the build, naming it.
// Each SVG a page shows (a chart figure's svg, an image/svg+xml output) becomes a file of the build,
// assets/svg/<hash>.svg, and the record keeps its address and size, { src, width, height }: the
// page shows it as the same <img> (../NotebookOutput/svg.ts), and its bundle carries no SVG text.
// The module stays JSON (the bundler parses a .json file as JSON whatever its loaders).
const { createHash } = require('node:crypto');
const { require: requireTs } = require('tsx/cjs/api');

const { svgSize } = requireTs('../NotebookOutput/svg.ts', __filename);

const SVG = /^\s*(<\?xml[^>]*>\s*)?<svg\b/;

/** The SVG as a file of the build: its address and the size it declares. */
function svgFile(loader, svg) {
  const name = `assets/svg/${createHash('sha256').update(svg).digest('hex').slice(0, 16)}.svg`;
  loader.emitFile(name, svg);
  const publicPath = loader._compiler?.options.output.publicPath;
  const base = typeof publicPath === 'string' && publicPath !== 'auto' ? publicPath : '/';
  return { src: `${base}${name}`, ...svgSize(svg) };
}

/** Every chart in the figures ({ title, description, svg }) with its svg as a file. */
function chartsAsFiles(loader, value) {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => chartsAsFiles(loader, v));
  if (typeof value.svg === 'string' && typeof value.title === 'string' && SVG.test(value.svg)) {
    const { svg, ...chart } = value;
    return { ...chart, ...svgFile(loader, svg) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, chartsAsFiles(loader, v)]));
}

/** The parts of value at these paths (each a list of keys), in the same shape; an array whole. */
function pick(value, paths) {
  if (paths.some((p) => p.length === 0) || typeof value !== 'object' || value === null)
    return value;
  if (Array.isArray(value)) return value;
  const groups = new Map();
  for (const [key, ...rest] of paths) {
    if (!Object.hasOwn(value, key)) continue;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(rest);
  }
  return Object.fromEntries([...groups].map(([key, rest]) => [key, pick(value[key], rest)]));
}

/** @this {{ resourceQuery: string, emitFile(name: string, content: string): void }} */
module.exports = function recordLoader(source) {
  const query = new URLSearchParams(this.resourceQuery.replace(/^\?/, ''));
  const record = JSON.parse(source);
  if (query.has('outputs')) {
    delete record.figures;
    delete record.labSha256;
    for (const cell of Object.values(record.cells ?? {}))
      for (const output of cell.outputs ?? []) {
        const svg = output.data?.['image/svg+xml'];
        if (typeof svg === 'string' || Array.isArray(svg))
          output.data['image/svg+xml'] = svgFile(this, [svg].flat().join(''));
      }
  } else if (query.has('figures') && record.figures) {
    const paths = query.get('figures').split(',').filter(Boolean);
    record.figures = chartsAsFiles(
      this,
      pick(
        record.figures,
        paths.map((p) => p.split('.')),
      ),
    );
  }
  return JSON.stringify(record);
};

module.exports.pick = pick;
