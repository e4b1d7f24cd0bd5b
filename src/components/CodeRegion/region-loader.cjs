// The bundler's loader behind <CodeRegion>: a file required as `!!region-loader.cjs!FILE?region=NAME`
// becomes the string of that one region (the whole file, trimmed, without ?region), cut at build
// time, so a page's bundle carries the lines it shows and not the file around them. The bundler
// watches FILE, so an edited region is cut again (also from its persistent cache). A missing or
// unclosed region throws, which fails the build: a page never shows a stale or empty snippet.
// CommonJS, as the bundler loads loaders; the cutter is region.ts, loaded through tsx.
const { relative } = require('node:path');
const { require: requireTs } = require('tsx/cjs/api');

const { extractRegion } = requireTs('./region.ts', __filename);

/** @this {{ resourcePath: string, resourceQuery: string, rootContext: string }} */
module.exports = function regionLoader(source) {
  const region = new URLSearchParams(this.resourceQuery.replace(/^\?/, '')).get('region');
  let code;
  try {
    code = region === null ? source.trim() : extractRegion(source, region);
  } catch (error) {
    throw new Error(`${relative(this.rootContext, this.resourcePath)}: ${error.message}`, {
      cause: error,
    });
  }
  return `module.exports = ${JSON.stringify(code)};\n`;
};
