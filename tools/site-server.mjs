// `npm run dev`: runs a Docusaurus server (`docusaurus start`, live-reloading, or the command given
// first) and gives it the exit code it should have. Docusaurus exits 0 when it never started because
// its port was taken (no terminal to ask on, or the reader declined another port), after printing the
// error, so a script or an editor task that runs it would take that for success. A server stops
// with 0 only when it is told to (Ctrl-C, a terminal that closes, kill); otherwise this exits 1.
// (`npm start` serves the production build instead: tools/start-site.ts.)
// It also refuses a port (--port, -p, or PORT) that is not a decimal port number: Docusaurus reads it
// with parseInt, so "0x1F90" would be port 0 (any free port) and "8080abc" port 8080
// (tools/site-port.cjs).
// Usage: node tools/site-server.mjs [start|serve] [docusaurus options…]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { badPortMessage, parsePort } from './site-port.cjs';

const docusaurus = createRequire(import.meta.url).resolve('@docusaurus/core/bin/docusaurus.mjs');
const [command = 'start', ...options] = process.argv.slice(2);

/** The port values Docusaurus would read, each with where it came from: its options `--port N`,
 *  `--port=N`, `-p N` and `-pN` (commander takes a short option's value attached), and, when none
 *  of those is given, the PORT variable (Docusaurus's default port, read with parseInt too). */
function portsGiven(args, env) {
  const given = args.flatMap((arg, i) => {
    if (arg === '--port' || arg === '-p') return [['--port', args[i + 1] ?? '']];
    if (arg.startsWith('--port=')) return [['--port', arg.slice('--port='.length)]];
    return arg.startsWith('-p') ? [['--port', arg.slice(2)]] : [];
  });
  // Docusaurus ignores an empty PORT (its default is then 3000), so this does too.
  return given.length === 0 && env.PORT ? [['PORT', env.PORT]] : given;
}
for (const [from, text] of portsGiven(options, process.env)) {
  if (parsePort(text) === undefined) {
    console.error(`npm run dev: ${badPortMessage(from, text)}`);
    process.exit(1);
  }
}

const child = spawn(process.execPath, [docusaurus, command, ...options], { stdio: 'inherit' });
let told = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    told = true;
    child.kill(signal); // Ctrl-C reaches it anyway; kill and a closed terminal reach only us
  });
}
child.on('exit', (code) => {
  if (code === 0 && !told) {
    console.error(`docusaurus ${command} stopped without serving the site (see above).`);
    process.exit(1);
  }
  process.exit(code ?? (told ? 0 : 1));
});
