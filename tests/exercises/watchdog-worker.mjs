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
//
// Two more things it watches on each poll: the process's resident memory (past the cap it reports
// where the code was and kills the process, as for a loop), and its parent: a server whose check
// is gone ends, with every process it started (leftovers.mjs).
// Plain JavaScript and no tsx: it must start fast and depend on nothing that could be stuck.
import { readFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { parentPort, workerData } from 'node:worker_threads';
import { endServerProcesses } from './leftovers.mjs';

const {
  heartbeat,
  budgetMs,
  asleepPolls,
  memoryCapMb,
  pollMs,
  fd,
  checkPid,
  mark,
  home,
  readerScripts,
} = workerData;
const report = (message) => {
  try {
    writeSync(fd, JSON.stringify(message) + '\n');
  } catch {
    // the check stopped listening: nothing to tell
  }
};

/** Whether the main thread is asleep in the kernel (S, or D for a disk), not running or waiting
 *  for a CPU (R): a thread held in a synchronous wait, not one a busy machine has not run yet.
 *  Linux only (/proc); elsewhere never. The main thread's id is the process's. */
const MAIN_STAT = `/proc/${process.pid}/task/${process.pid}/stat`;
const mainAsleep = () => {
  try {
    const stat = readFileSync(MAIN_STAT, 'latin1');
    return /^[SD]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
};

/** CPU time of the main thread, the one that runs the reader's code, in ms. Not the process's:
 *  that counts this thread's own polls, the garbage collector's and the compiler's threads too,
 *  and over the 400 polls of a thread asleep in a wait it reached the loop budget on a busy CI
 *  machine, where the sleeper was then called a loop. Linux: its utime + stime, in clock ticks
 *  (100 a second on Linux); elsewhere, the process's time. */
const cpuMs = () => {
  try {
    const stat = readFileSync(MAIN_STAT, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // fields 14 and 15 of proc(5)
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
};

let lastBeat = -1;
let lastCpu = cpuMs();
let blockedCpuMs = 0;
let blockedAsleep = 0;
let reportedBeat = -1;
const poll = setInterval(() => {
  if (checkPid && process.ppid !== checkPid) {
    clearInterval(poll);
    end(); // the check is gone: nobody is left to stop this server
    return;
  }
  const rssMb = process.memoryUsage.rss() / 2 ** 20;
  if (rssMb > memoryCapMb) {
    clearInterval(poll);
    stopWithStack((stack) => ({ memory: { rssMb: Math.round(rssMb), stack } }));
    return;
  }
  const beat = Atomics.load(heartbeat, 0);
  const cpu = cpuMs();
  const spent = cpu - lastCpu;
  lastCpu = cpu;
  if (beat !== lastBeat) {
    lastBeat = beat;
    blockedCpuMs = 0;
    blockedAsleep = 0;
  } else {
    blockedCpuMs += spent;
    if (mainAsleep()) blockedAsleep += 1;
  }
  if (beat !== reportedBeat) {
    reportedBeat = beat;
    report({ beats: beat });
  }
  if (blockedCpuMs >= budgetMs) {
    clearInterval(poll);
    const cpuMs = Math.round(blockedCpuMs);
    stopWithStack((stack) => ({ stuck: { cpuMs, stack } }));
  } else if (blockedAsleep >= asleepPolls) {
    // Counted in polls, each at least pollMs apart: a lower bound of the time, never a clock.
    clearInterval(poll);
    const cpuMs = Math.round(blockedCpuMs);
    const asleepMs = blockedAsleep * pollMs;
    stopWithStack((stack) => ({ stuck: { cpuMs, asleepMs, stack } }));
  }
}, pollMs);
parentPort.postMessage('watching'); // importExercise() loads the reader's code only now

/** Ends this server: every process it started, its process group, and itself. */
function end() {
  endServerProcesses(process.pid, mark, home);
  try {
    process.kill(-process.pid, 'SIGKILL'); // the group it leads (harness.ts starts it detached)
  } catch {
    // not a group leader: started by hand, not by a check
  }
  process.kill(process.pid, 'SIGKILL');
}

/**
 * Pauses the main thread where it is, reports `verdict(stack)` with its stack, and ends the server.
 * Paused, the main thread runs no more of the reader's code: no more loop, no more allocations.
 */
function stopWithStack(verdict) {
  const keepAlive = setInterval(() => {}, 1000); // the inspector's answers arrive on this thread
  // The verdict is in; only its "where" is still coming. Should the inspector not answer in a
  // few seconds, report without it rather than leave the code running.
  setTimeout(() => {
    report(verdict(undefined));
    end();
  }, 3000);
  const session = new Session();
  session.connectToMainThread();
  // The main thread stops at whatever it runs next. Stuck in a loop, that is the loop; but code
  // that keeps the event loop turning (a timer that allocates) may be caught between two turns,
  // in the lab's code or the heartbeat's: then it is let go and paused again, a few times, until
  // it is caught in the reader's own code.
  let misses = 0;
  const readerScriptIds = new Set();
  session.on('Debugger.scriptParsed', ({ params }) => {
    if (readerScripts.includes(params.url)) readerScriptIds.add(params.scriptId);
  });
  session.on('Debugger.paused', ({ params }) => {
    const inReaderCode = params.callFrames.some((f) => readerScriptIds.has(f.location.scriptId));
    if (!inReaderCode && readerScripts.length > 0 && (misses += 1) < 10) {
      // (A pause asked for at once, while the thread resumes, is lost: asked a moment later.)
      session.post('Debugger.resume', () => setTimeout(() => session.post('Debugger.pause'), 5));
      return;
    }
    session.removeAllListeners('Debugger.paused');
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
        report(verdict(stack));
        clearInterval(keepAlive);
        end();
      },
    );
  });
  session.post('Debugger.enable', () => session.post('Debugger.pause'));
}
