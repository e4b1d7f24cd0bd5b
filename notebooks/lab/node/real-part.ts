// Finding a real part (a program Debian ships, such as nginx) and the one rule for the tests
// that need it (DESIGN.md, "Real parts"), and a free port on 127.0.0.1 to start it on. No state.
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export interface Availability {
  available: boolean;
  /** Why not, and what to install. */
  why?: string;
}

/** The program: the first one on PATH, else in one of `alsoIn` (Debian puts nginx in /usr/sbin). */
export function findProgram(name: string, alsoIn: readonly string[] = []): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, ...alsoIn]) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here: try the next place
    }
  }
  return undefined;
}

/**
 * Run the tests when the part exists; without it, skip them with a printed line outside CI, and
 * fail them in CI. Use: `describe.runIf(gate.run)(...)` plus one `it` that throws `gate.failure`.
 */
export function realPartGate(
  tests: string,
  availability: Availability,
  env: Record<string, string | undefined> = process.env,
  warn: (line: string) => void = console.warn,
): { run: boolean; failure?: string } {
  if (availability.available) return { run: true };
  const message = `${tests}: ${availability.why}`;
  if (env.CI) return { run: false, failure: `${message}. CI must run them, so this fails.` };
  warn(`skipped: ${message}`);
  return { run: false };
}

/** A port the OS says is free right now (the OS picks it; 127.0.0.1 only). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
