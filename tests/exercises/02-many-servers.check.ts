// Checks for exercise 02: the reader's policy runs inside the lab's real load balancer, in front
// of real backends: app-1 down, app-2 slow (200 ms), app-3 fast. Only behaviour is checked,
// through requests to the LB, so any correct design passes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ask,
  exerciseFile,
  Lesson,
  pointer,
  startExerciseServer,
  unexpected,
  type Answer,
  type ExerciseServer,
} from './harness';

const file = exerciseFile('02-many-servers');
const fn = 'healthyLeastConnections';
const entry = join(__dirname, '02-many-servers.server.ts');
let mixed: ExerciseServer;
let allDown: ExerciseServer;

beforeAll(async () => {
  [mixed, allDown] = await Promise.all([
    startExerciseServer(entry, [file, 'mixed'], file, fn),
    startExerciseServer(entry, [file, 'all-down'], file, fn),
  ]);
});

afterAll(() => {
  mixed?.stop();
  allDown?.stop();
});

/** Which backend answered, when the LB forwarded the request and got a 200. */
const serverOf = (answer: Answer) =>
  answer.status === 200 ? (answer.body as { server?: string }).server : undefined;

describe('exercise 02: least connections over healthy backends', () => {
  it('never routes a request to app-1, which is down', async () => {
    for (let i = 0; i < 9; i++) {
      const answer = await ask(mixed, '/products', file, fn);
      const server = serverOf(answer);
      if (server !== 'app-2' && server !== 'app-3') {
        throw unexpected(
          answer,
          '200 from app-2 or app-3: app-1 is down (healthy is false), so it must get nothing',
          file,
          fn,
        );
      }
    }
  });

  it('sends most requests to the idle backend while the slow one is busy', async () => {
    // 4 clients, each sending its next request when its last one is answered: 40 in all.
    const served: Record<string, number> = {};
    const client = async () => {
      for (let i = 0; i < 10; i++) {
        const answer = await ask(mixed, '/products', file, fn);
        const server = serverOf(answer);
        if (server !== 'app-2' && server !== 'app-3') {
          throw unexpected(answer, '200 from app-2 or app-3 (app-1 is down)', file, fn);
        }
        served[server] = (served[server] ?? 0) + 1;
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    const toSlow = served['app-2'] ?? 0;
    if (toSlow > 10) {
      throw new Lesson({
        expected: 'at most 10 of 40 requests to app-2, which is slow and so usually busy',
        got: `app-2 got ${toSlow}, app-3 got ${served['app-3'] ?? 0}`,
        why: 'app-2 holds each request 200 ms while app-3 answers at once, so app-2 has more in flight: pick the backend with the fewest (inFlight)',
        where: pointer(file, fn),
      });
    }
  });

  it('answers 503 when no backend is healthy (pick returns undefined)', async () => {
    const answer = await ask(allDown, '/products', file, fn);
    if (answer.status !== 503) {
      throw unexpected(
        answer,
        '503 {"error":"no healthy backend"}: every backend is down, so pick() must return undefined',
        file,
        fn,
      );
    }
  });
});
