// Preloaded into every exercise server process right after tsx (harness.ts). tsx has picked the
// folder for its compile cache by now (from TMPDIR, which the check set to a cache shared by all
// servers); from here on, the reader's code gets the server's own folder as its temp folder, as a
// server on a machine of its own would.
const home = process.env.STATELAB_SERVER_HOME;
if (home) {
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = home;
}
