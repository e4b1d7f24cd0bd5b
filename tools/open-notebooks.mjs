// `npm run notebooks`: registers this project's tslab as the reader's "tslab" Jupyter kernel, then opens
// JupyterLab (or Notebook) on notebooks/. Plain Node with no dependencies: it must work before anything else does.
// Usage: npm run notebooks [-- --no-open] [-- JUPYTER ARGS…]
//   --no-open        only register the kernel (e.g. for VS Code)
//   anything else    goes to Jupyter as it is: npm run notebooks -- --allow-root (root, a container)
// STATELAB_JUPYTER names the front end to open (a command or a path, e.g. in a virtualenv) instead
// of the first of jupyter-lab, jupyter-notebook on PATH; the tests use it to stand in a fake.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const notebooksDir = join(root, 'notebooks');
const tslab = join(root, 'node_modules', 'tslab', 'bin', 'tslab');
// A Python start-up on a busy machine takes seconds; a probe that hangs must not hang this command.
const PROBE_TIMEOUT_MS = 30_000;

const args = process.argv.slice(2);
const jupyterArgs = args.filter((arg) => arg !== '--no-open');

if (!existsSync(tslab)) {
  console.error(`tslab is not installed in ${root}. Run "npm install" there first.`);
  process.exit(1);
}

const kernelDir = join(jupyterDataDir(), 'kernels', 'tslab');
mkdirSync(kernelDir, { recursive: true });
writeFileSync(
  join(kernelDir, 'kernel.json'),
  JSON.stringify(
    {
      // This node, not "#!/usr/bin/env node": Jupyter and VS Code often start kernels without the
      // shell's PATH (nvm), and the native addons in node_modules were built for this node.
      argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
      display_name: 'TypeScript',
      language: 'typescript',
    },
    null,
    2,
  ) + '\n',
);
console.log(`Registered the "tslab" kernel (TypeScript) in ${kernelDir}`);
console.log(`  it runs ${tslab}`);

if (args.includes('--no-open')) {
  console.log(
    'In VS Code (Jupyter extension): Select Kernel > Jupyter Kernel... > "TypeScript" (tslab).',
  );
  process.exit(0);
}

// pipx installs only jupyter-lab / jupyter-notebook on PATH, not the `jupyter` command, so look for those.
const named = process.env.STATELAB_JUPYTER;
const candidates = named ? [named] : ['jupyter-lab', 'jupyter-notebook'];
const frontEnd = candidates.find(
  (command) =>
    spawnSync(command, ['--version'], { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS }).status === 0,
);
if (!frontEnd) {
  console.error(`
No Jupyter front end found (looked for ${named ? `${named}, named by STATELAB_JUPYTER` : 'jupyter-lab and jupyter-notebook on PATH'}).
To open the notebooks, pick one:

  JupyterLab    pipx install jupyterlab
                (or: python3 -m pip install --user jupyterlab)
                then run "npm run notebooks" again.

  VS Code       install the Jupyter extension (ms-toolsai.jupyter), open a notebook in
                notebooks/, click "Select Kernel" > "Jupyter Kernel..." > "TypeScript" (tslab).
`);
  process.exit(1);
}
console.log(
  `Opening ${[frontEnd, ...jupyterArgs].join(' ')} on ${notebooksDir} (Ctrl-C to stop it)`,
);
if (process.getuid?.() === 0 && !jupyterArgs.includes('--allow-root')) {
  console.log('  (as root, Jupyter refuses to start without: npm run notebooks -- --allow-root)');
}
const child = spawn(frontEnd, jupyterArgs, { cwd: notebooksDir, stdio: 'inherit' });
// Ctrl-C reaches Jupyter too; it decides when to stop, and this process follows it.
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** The per-user Jupyter data directory: where Jupyter itself looks for the reader's kernels. */
function jupyterDataDir() {
  // Jupyter answers with this variable when it is set, so there is nothing to ask.
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  const asked = spawnSync('jupyter', ['--data-dir'], {
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
  });
  if (asked.status === 0 && asked.stdout.trim()) return asked.stdout.trim();
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'jupyter');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}
