// `npm start`: the whole course site as a reader meets it, search included. It serves the production
// build (build/) on http://localhost:3000 as a static host would, gzip included, with the reader's
// exercise progress (tools/static-server.ts). When build/ is missing or was built from other sources
// than the ones here (tools/site-inputs.ts), it builds the site first; otherwise it opens in seconds.
// Live-reload authoring is `npm run dev` (tools/site-server.mjs).
//   npm start [-- --port N] [-- --no-open]     PORT=N works too; the default is 3000
// Exits 1 when its port is taken or the build fails, 0 when told to stop (Ctrl-C, kill).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { badPortMessage, parsePort, takenOnIpv6Loopback } from './site-port.cjs';
import { durationText, type SetupTimes } from '../src/components/SetupTimes/setup-times';
import { staleBecause } from './site-inputs';
import { siteHandler } from './static-server';

const ROOT = join(__dirname, '..');
/** build/ unless STATELAB_SITE_BUILD names another folder (the tests serve a build of their own). */
const BUILD = process.env.STATELAB_SITE_BUILD ?? join(ROOT, 'build');
/** A new build is made here and then takes build/'s place, so a failed or stopped build never
 *  leaves build/ half-written (another server, or a test, may be reading it). */
const NEXT = join(dirname(BUILD), '.statelab', 'build-next');
const OLD = join(dirname(BUILD), '.statelab', 'build-old');

const options = (() => {
  try {
    return parseArgs({
      options: { port: { type: 'string' }, 'no-open': { type: 'boolean', default: false } },
    }).values;
  } catch (error) {
    // An unknown option or a stray argument: say which, and what the options are, not a stack.
    console.error(`npm start: ${(error as Error).message}. Options: --port <1-65535>, --no-open.`);
    process.exit(1);
  }
})();
// --port wins over PORT; the message names the one that was wrong, with what it held.
const [portFrom, portText] =
  options.port !== undefined
    ? ['--port', options.port]
    : process.env.PORT !== undefined
      ? ['PORT', process.env.PORT]
      : ['the default', '3000'];
const port = parsePort(portText) ?? 0;
if (port === 0) {
  console.error(`npm start: ${badPortMessage(portFrom, portText)}`);
  process.exit(1);
}
const url = `http://localhost:${port}`;

// While it builds, the port already answers, with a page that reloads itself until the site is ready.
const building: RequestListener = (_req, res) => {
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5' });
  res.end(
    '<!doctype html><meta http-equiv="refresh" content="5"><title>StateLab: building</title>' +
      '<p>StateLab is building the site; this page reloads itself until it is ready.</p>',
  );
};
let handle: RequestListener = building;
const server = createServer((req, res) => handle(req, res));

let build: ChildProcess | undefined;
let told = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    told = true;
    // Ctrl-C reaches a build too; kill and a closed terminal reach only us. A stopped build leaves
    // build/ as it was (it builds into NEXT), and its exit ends this process.
    if (build) build.kill(signal);
    else process.exit(0);
  });
}

const anotherPort = `Stop it, or serve on another port: npm start -- --port ${port < 65535 ? port + 1 : port - 1}`;

/**
 * Takes the port first, so a taken port is said at once rather than after a build. The site listens
 * on 127.0.0.1, but the reader opens http://localhost:PORT, which may resolve to ::1 first: a server
 * on [::1]:PORT would answer instead of the course, so that counts as taken too.
 */
async function listen(): Promise<void> {
  await new Promise<void>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      console.error(
        error.code === 'EADDRINUSE'
          ? `npm start: port ${port} is taken: something else (another npm start, or npm run dev?) ` +
              `is listening on it. ${anotherPort}`
          : `npm start: cannot listen on 127.0.0.1:${port}: ${error.message}`,
      );
      process.exit(1);
    });
    server.listen(port, '127.0.0.1', resolve);
  });
  if (await takenOnIpv6Loopback(port)) {
    console.error(
      `npm start: port ${port} is taken on [::1], localhost's IPv6 address: a browser opening ` +
        `${url} may reach that server instead of the course. ${anotherPort}`,
    );
    process.exit(1);
  }
}

/** `docusaurus build` into NEXT, then NEXT becomes BUILD. Resolves false when the build failed. */
function buildSite(): Promise<boolean> {
  // How long the first build took where tools/time-setup.ts measured it: never a typed number.
  const times = JSON.parse(
    readFileSync(join(ROOT, 'src/components/SetupTimes/setup-times.json'), 'utf8'),
  ) as SetupTimes;
  console.log(
    `Building the site, search index included: ${durationText(times.seconds.build)} on a ` +
      `${times.machine.cpus}-core machine, longer on a busy one. Until it is done, ${url} says so.`,
  );
  const started = Date.now();
  const docusaurus = require.resolve('@docusaurus/core/bin/docusaurus.mjs');
  mkdirSync(dirname(NEXT), { recursive: true });
  build = spawn(process.execPath, [docusaurus, 'build', '--out-dir', NEXT], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return new Promise((resolve) =>
    build!.once('exit', (code) => {
      build = undefined;
      if (told) process.exit(0);
      if (code !== 0) return resolve(false);
      rmSync(OLD, { recursive: true, force: true });
      if (existsSync(BUILD)) renameSync(BUILD, OLD);
      renameSync(NEXT, BUILD);
      rmSync(OLD, { recursive: true, force: true });
      console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
      resolve(true);
    }),
  );
}

async function main() {
  await listen();
  const stale = staleBecause(BUILD, ROOT);
  if (stale) {
    console.log(`npm start: ${stale}.`);
    if (!(await buildSite())) {
      console.error('npm start: the build failed (see above), so there is nothing to serve.');
      process.exit(1);
    }
  } else {
    console.log(
      `npm start: ${relative(ROOT, BUILD)}/ was built from the sources here: serving it.`,
    );
  }
  handle = siteHandler(BUILD);
  console.log(`Serving the course at ${url} (Ctrl-C stops it).`);
  if (!options['no-open'] && !process.env.CI) await openBrowser();
}

/** Opens the reader's browser as `docusaurus start` did, with Docusaurus's own helper. */
async function openBrowser() {
  try {
    const { default: open } =
      (await import('@docusaurus/core/lib/commands/utils/openBrowser/openBrowser.js')) as {
        default: (url: string) => Promise<boolean>;
      };
    await open(url);
  } catch {
    // No browser to open (a container, a remote shell): the URL above is enough.
  }
}

void main();
