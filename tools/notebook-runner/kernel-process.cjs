// The kernel process: tslab's own `tslab kernel --config-path <file>`, plus a watchdog. If the runner
// that started it dies, even by SIGKILL, the kernel removes its connection file and kills its process
// group (itself, and the servers and children a notebook started) instead of living on as an orphan.
'use strict';
const { Worker } = require('node:worker_threads');

// A worker has its own event loop, so the watchdog still runs while a cell spins in `while (true) {}`.
const watchdog = new Worker(
  `
  const { rmSync } = require('node:fs');
  const { workerData: connectionFile } = require('node:worker_threads');
  const runner = process.ppid;
  setInterval(() => {
    if (process.ppid === runner) return;
    rmSync(connectionFile, { force: true });
    try {
      process.kill(-process.pid, 'SIGKILL'); // the group this process leads (spawned detached)
    } catch {
      process.kill(process.pid, 'SIGKILL'); // no process groups (Windows)
    }
  }, 500);
  `,
  { eval: true, workerData: process.argv[process.argv.indexOf('--config-path') + 1] },
);
watchdog.unref();

// tslab reads its command line from process.argv: [node, this file, 'kernel', '--config-path', file].
require('tslab/dist/main.js').main();
