// The bundler's loader behind the recorded runs a page quotes (./remark-records.ts): it keeps in the
// page's bundle what the page renders of a run record and leaves the rest in the file.
//   runs/NN-slug.json?figures=a.b,rows   (a chapter page's Figure, FigureTable, FigureChart, Quiz)
//     the figures at those paths, and where and when the run happened; no other figure
//   runs/NN-slug.json?outputs            (a notebook page's NotebookOutputs, NotebookRunInfo)
//     the record without its figures (the chapter page's, which a notebook page never shows)
// A path the run did not record is left out: the component then fails the build, naming it.
// The module stays JSON (the bundler parses a .json file as JSON whatever its loaders).

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

/** @this {{ resourceQuery: string }} */
module.exports = function recordLoader(source) {
  const query = new URLSearchParams(this.resourceQuery.replace(/^\?/, ''));
  const record = JSON.parse(source);
  if (query.has('outputs')) {
    delete record.figures;
    delete record.labSha256;
  } else if (query.has('figures') && record.figures) {
    const paths = query.get('figures').split(',').filter(Boolean);
    record.figures = pick(
      record.figures,
      paths.map((p) => p.split('.')),
    );
  }
  return JSON.stringify(record);
};

module.exports.pick = pick;
