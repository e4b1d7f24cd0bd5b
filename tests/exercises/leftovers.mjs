// Ends a reader's server and every process its code started, so that none outlives the check.
// Used by the check (harness.ts) when it stops a server or sees one end, and by the server's own
// watchdog (watchdog-worker.mjs) when it stops the server or finds its check gone.
//
// Three nets, because each alone has a hole:
// - The process group. The server is started as the leader of a group of its own, and every
//   process its code starts joins that group unless it asks otherwise: one kill(-pid) ends them.
// - The family tree. A child started `detached` leaves the group (it gets a session of its own),
//   but while the server lives, it is still the server's child: found by its parent pid, in /proc.
// - A mark in the environment. Every process the server starts inherits STATELAB_SERVER_MARK,
//   even one that left the group and whose parent has died (it is then the child of init). A
//   process started with an empty environment loses the mark: the family tree finds that one.
// - The working folder. Every process the server starts inherits its folder of its own (`home`),
//   unless it moves away: one with no mark whose parent has died (a double fork with an empty
//   environment) is found there. Not a process that carries another server's mark.
// A process that does all of these (a new session, an empty environment, a dead parent, another
// folder) still escapes: only a cgroup or a child subreaper could hold it, which Node cannot ask for.
// Found processes are frozen (SIGSTOP) before any is killed, and looked for again, so that one
// that starts another in the meantime cannot leave it behind. Then all get SIGKILL.
// The tree and the mark need /proc (Linux); elsewhere only the process group is ended.
// Plain JavaScript: the watchdog's thread loads it without tsx.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

/** Set by the check on each server it starts: a value of its own, inherited by all it starts. */
export const SERVER_MARK_ENV = 'STATELAB_SERVER_MARK';

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * Kills the processes of the server whose pid is `root` (its group, its descendants) and every
 * process that carries `mark` or, carrying no mark, works in the server's folder `home`, except the
 * calling process itself. `root` is left out when the server has already ended (its pid is no
 * longer its own). Returns how many were found by tree, mark or folder.
 */
export function endServerProcesses(root, mark, home) {
  const frozen = new Set();
  home = home && real(home); // /proc shows a process's folder with its links resolved
  if (HAS_PROC) {
    for (let round = 0; round < 10; round += 1) {
      const fresh = [...find(root, mark, home)].filter((pid) => !frozen.has(pid));
      if (fresh.length === 0) break;
      for (const pid of fresh) signal(pid, 'SIGSTOP');
      fresh.forEach((pid) => frozen.add(pid));
    }
  }
  for (const pid of frozen) signal(pid, 'SIGKILL');
  if (root !== undefined && root !== process.pid) {
    signal(-root, 'SIGKILL');
    signal(root, 'SIGKILL');
  }
  return frozen.size;
}

/** Live processes (not the caller, not `root`) that descend from `root`, carry the mark or (with no
 *  mark) work in `home`, and their descendants. */
function find(root, mark, home) {
  const children = new Map();
  const marked = [];
  const needle = mark ? `${SERVER_MARK_ENV}=${mark}\0` : undefined;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // "pid (name) state ppid …": the name may hold spaces and parentheses, so read after the last ')'
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue; // dead already, waiting for its parent
      const siblings = children.get(Number(ppid)) ?? [];
      siblings.push(pid);
      children.set(Number(ppid), siblings);
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (needle && environ.includes(needle)) marked.push(pid);
      else if (
        home &&
        !environ.includes(`${SERVER_MARK_ENV}=`) &&
        inside(`/proc/${name}/cwd`, home)
      )
        marked.push(pid);
    } catch {
      // ended while we looked, or not ours to read
    }
  }
  const found = new Set();
  const visit = (pid) => {
    for (const child of children.get(pid) ?? []) {
      if (found.has(child) || child === root) continue;
      found.add(child);
      visit(child);
    }
  };
  if (root !== undefined) visit(root);
  for (const pid of marked) {
    if (pid === root) continue;
    found.add(pid);
    visit(pid);
  }
  return found;
}

/** Whether the folder the link `cwdLink` points to is `home` or inside it. */
function inside(cwdLink, home) {
  try {
    // A folder removed while a process works in it reads "<path> (deleted)".
    const cwd = readlinkSync(cwdLink).replace(/ \(deleted\)$/, '');
    return cwd === home || cwd.startsWith(home.endsWith('/') ? home : `${home}/`);
  } catch {
    return false;
  }
}

function real(path) {
  try {
    return realpathSync(path);
  } catch {
    return path; // removed already: its processes, if any, show it as it was
  }
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}
