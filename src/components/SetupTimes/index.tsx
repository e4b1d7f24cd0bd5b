// How long the newcomer's commands took, from the record tools/time-setup.ts wrote
// (setup-times.json): never a duration typed by hand.
//   <SetupTime step="test" />   "about 14 minutes"
//   <SetupMachine />            "a 2-core AMD EPYC with 23 GiB of memory (linux x64)"
//   <SetupConditions />         Node, npm, date, commit and the machine's load when it started
// A step the record does not hold is an error that fails the build.
import type { ReactNode } from 'react';
import {
  conditionsText,
  durationText,
  machineText,
  SETUP_STEPS,
  type SetupStep,
  type SetupTimes,
} from './setup-times';

// Read by the bundler when the site is built, as a page's recorded run is (../Figures/remark-records.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file, bundled as it is
const times = require('./setup-times.json') as SetupTimes;

export function SetupTime({ step }: { step: SetupStep }): ReactNode {
  const seconds = times.seconds[step];
  if (!SETUP_STEPS.some((s) => s.id === step) || typeof seconds !== 'number') {
    throw new Error(`<SetupTime step="${step}">: setup-times.json has no such step`);
  }
  const compiled =
    step === 'install' && times.installCompiledSqlite ? ', SQLite compiled from source' : '';
  return (
    <strong>
      {durationText(seconds)}
      {compiled}
    </strong>
  );
}

export const SetupMachine = (): ReactNode => machineText(times);

export const SetupConditions = (): ReactNode => conditionsText(times);
