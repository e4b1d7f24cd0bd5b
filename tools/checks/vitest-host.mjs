// The process that runs exercise checks: vitest, started once and kept warm (run-checks.ts starts
// it and asks it for runs over IPC). A run's report is what `vitest run --reporter=json` writes,
// made by vitest's own JSON reporter, so a warm run and a cold one report alike.
// Plain JavaScript, loaded by node without tsx: it starts fast, and it runs no reader code itself
// (the checks start the reader's servers in processes of their own, harness.ts).
import { createVitest, JsonReporter } from 'vitest/node';

/** vitest's JSON report of the last run, kept instead of written to a file. */
class LastReport extends JsonReporter {
  constructor() {
    super({});
    this.report = undefined;
  }
  async writeReport(report) {
    this.report = report;
  }
}

const reporter = new LastReport();
const vitest = await createVitest('test', {
  config: process.env.STATELAB_CHECKS_CONFIG,
  watch: false,
  reporters: [reporter],
});
// Reporters ready, test files found: nothing runs until the runner asks.
await vitest.standalone();

process.on('message', async ({ run }) => {
  process.send({ received: true }); // a run not received is given to a fresh host (run-checks.ts)
  reporter.report = undefined;
  try {
    await vitest.runTestFiles(run);
    process.send({ report: reporter.report });
  } catch (error) {
    process.send({
      failed: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
// The runner is gone (it ended, or was killed): end too, and take the check workers along; give
// vitest a few seconds to close, not more.
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 5000).unref();
  void vitest.close().finally(() => process.exit(0));
});
process.send({ ready: true });
