// How long the newcomer's commands take: the record tools/time-setup.ts writes (setup-times.json,
// committed) and the words the setup page and the README state it in. Pure: the page's component,
// the tool and tests/content/setup-times.test.ts share it, so the three say one thing.

/** The commands a newcomer waits for, in the order the tool runs them in a fresh clone. */
export const SETUP_STEPS = [
  { id: 'install', command: 'npm ci' },
  { id: 'compileSqlite', command: 'npm rebuild better-sqlite3 --build-from-source' },
  { id: 'build', command: 'npm run build' },
  { id: 'test', command: 'npm test' },
  // --fresh: the clone's recorded runs match it, so without it nothing would run.
  { id: 'notebookPages', command: 'npm run notebook-pages -- --fresh' },
] as const;

export type SetupStep = (typeof SETUP_STEPS)[number]['id'];

export interface SetupTimes {
  $comment: string;
  /** When the measurement started (ISO 8601) and the commit it measured. */
  measuredAt: string;
  commit: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    platform: string;
    node: string;
    npm: string;
    /** The 1-minute load average at each step's start and at the end: other work on the machine. */
    loadAverage: { min: number; max: number };
  };
  /** Did `npm ci` compile better-sqlite3 from source (no prebuilt binary could be fetched)? */
  installCompiledSqlite: boolean;
  seconds: Record<SetupStep, number>;
}

/** A duration as a reader needs it: "under a minute", "about a minute", "about 14 minutes". */
export function durationText(seconds: number): string {
  if (seconds < 45) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  return minutes <= 1 ? 'about a minute' : `about ${minutes} minutes`;
}

/** The machine, in one phrase: "a 2-core AMD EPYC with 23 GiB of memory (linux x64)". */
export function machineText(times: SetupTimes): string {
  const { cpus, cpuModel, memoryGiB, platform } = times.machine;
  return `a ${cpus}-core ${cpuModel} with ${memoryGiB} GiB of memory (${platform})`;
}

/** When and how: Node, npm, the date, the commit, and what else the machine was doing. */
export function conditionsText(times: SetupTimes): string {
  const { node, npm, loadAverage } = times.machine;
  return (
    `Node ${node}, npm ${npm}, ${times.measuredAt.slice(0, 10)}, commit ${times.commit.slice(0, 7)}; ` +
    `the machine's load average (its other work included), taken as each step began and at the ` +
    `end, was ${loadAverage.min.toFixed(1)} to ${loadAverage.max.toFixed(1)}`
  );
}
