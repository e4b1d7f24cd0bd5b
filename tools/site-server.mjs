// `npm run dev`: runs a Docusaurus server (`docusaurus start`, live-reloading, or the command given
// first) and gives it the exit code it should have. Docusaurus exits 0 when it never started because
// its port was taken (no terminal to ask on, or the reader declined another port), after printing the
// error, so a script or an editor task that runs it would take that for success. A server stops
// with 0 only when it is told to (Ctrl-C, a terminal that closes, kill); otherwise this exits 1.
// (`npm start` serves the production build instead: tools/start-site.ts.)
// Usage: node tools/site-server.mjs [start|serve] [docusaurus options…]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const docusaurus = createRequire(import.meta.url).resolve('@docusaurus/core/bin/docusaurus.mjs');
const [command = 'start', ...options] = process.argv.slice(2);

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
