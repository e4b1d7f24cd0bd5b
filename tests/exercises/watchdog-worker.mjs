// The watchdog's thread inside an exercise server process (started by watchdog.ts). It runs beside
// the reader's code, so it keeps running while that code is stuck in a loop on the main thread.
//
// Every POLL_MS it reads two things: the main thread's heartbeat (a counter the main thread bumps
// on a timer, so it moves only while the event loop is free) and the process's CPU time. CPU time
// spent while the heartbeat stands still is a loop that has not let go of the thread. Once that
// reaches the budget, the worker pauses the main thread with the inspector, reads where it is,
// reports it on fd 3 and kills the process. A process that is only waiting for a busy machine's
// CPU spends no CPU time, so it is never taken for a loop, however long it waits.
//
// It also reports the heartbeat count on fd 3, so the check can tell a server that is idle and
// responsive but never answers (a promise that never settles) from one that is merely slow.
// Plain JavaScript and no tsx: it must start fast and depend on nothing that could be stuck.
import { writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { workerData } from 'node:worker_threads';

const { heartbeat, budgetMs, pollMs, fd } = workerData;
const report = (message) => {
  try {
    writeSync(fd, JSON.stringify(message) + '\n');
  } catch {
    // the check stopped listening: nothing to tell
  }
};

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

let lastBeat = -1;
let lastCpu = cpuMs();
let blockedCpuMs = 0;
let reportedBeat = -1;
const poll = setInterval(() => {
  const beat = Atomics.load(heartbeat, 0);
  const cpu = cpuMs();
  const spent = cpu - lastCpu;
  lastCpu = cpu;
  if (beat !== lastBeat) {
    lastBeat = beat;
    blockedCpuMs = 0;
  } else {
    blockedCpuMs += spent;
  }
  if (beat !== reportedBeat) {
    reportedBeat = beat;
    report({ beats: beat });
  }
  if (blockedCpuMs >= budgetMs) {
    clearInterval(poll);
    stopTheLoop(blockedCpuMs);
  }
}, pollMs);

/** Pauses the main thread where it is, reports its stack, and kills the process. */
function stopTheLoop(spentMs) {
  const keepAlive = setInterval(() => {}, 1000); // the inspector's answers arrive on this thread
  const kill = () => process.kill(process.pid, 'SIGKILL');
  // The verdict is in; only its "where" is still coming. Should the inspector not answer in a
  // few seconds, report without it rather than leave the loop running.
  setTimeout(() => {
    report({ stuck: { cpuMs: Math.round(spentMs) } });
    kill();
  }, 3000);
  const session = new Session();
  session.connectToMainThread();
  session.once('Debugger.paused', ({ params }) => {
    const top = params.callFrames[0];
    // Evaluated in the paused frame, `new Error().stack` comes source-mapped by tsx: the lines
    // of the reader's .ts file, as in any error they would see.
    session.post(
      'Debugger.evaluateOnCallFrame',
      { callFrameId: top.callFrameId, expression: 'new Error("stuck").stack' },
      (error, result) => {
        // Its first frame is the evaluation itself: leave it out.
        const stack = error
          ? undefined
          : String(result?.result?.value)
              .split('\n')
              .filter((line) => !/^\s+at eval \(eval at /.test(line))
              .join('\n');
        report({ stuck: { cpuMs: Math.round(spentMs), stack } });
        clearInterval(keepAlive);
        kill();
      },
    );
  });
  session.post('Debugger.enable', () => session.post('Debugger.pause'));
}
