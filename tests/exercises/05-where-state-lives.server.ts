// Runs in its own process for the exercise 05 check: one server that knows the signing key and
// answers GET /me with the reader's verifySession, and POST /logout by putting the session's id
// on a deny-list in a SQLite file that every server process shares. Prints {"listening":PORT}.
import { importExercise } from './watchdog';
import { parseCookies } from '../../notebooks/lab/cookies';
import { json, type Reply } from '../../notebooks/lab/reply';
import { startServer } from '../../notebooks/lab/server';
import { sqliteStore } from '../../notebooks/lab/sqlite-store';
import type { StateStore } from '../../notebooks/lab/store';

type Verify = (
  token: string,
  key: string,
  denyList: StateStore<true>,
) => Promise<{ ok: true; session: { user: string; jti: string; exp: number } } | { ok: false }>;

async function main() {
  const [file, key, denyFile, name] = process.argv.slice(2);
  const exercise = await importExercise(file);
  if (typeof exercise.verifySession !== 'function') {
    throw new Error(`${file} does not export a function named verifySession`);
  }
  const verifySession = exercise.verifySession as Verify;
  const denyList = sqliteStore<true>(denyFile, 'deny_list'); // shared by every server process

  const answer = async (method: string, path: string, token: string): Promise<Reply> => {
    if (path !== '/me' && path !== '/logout') return json(404, { error: 'no such route' });
    const verdict = await verifySession(token, key, denyList);
    if (!verdict.ok) return json(401, verdict);
    if (method === 'POST' && path === '/logout') {
      await denyList.set(verdict.session.jti, true, verdict.session.exp - Date.now());
      return json(200, { loggedOut: verdict.session.user });
    }
    return json(200, { user: verdict.session.user });
  };

  const server = await startServer({
    name,
    app: () => (req, res) => {
      const token = parseCookies(req.headers.cookie).session ?? '';
      answer(req.method ?? 'GET', req.url ?? '/', token)
        .catch((error: unknown) => {
          console.error(error instanceof Error ? error.stack : error);
          return json(500, { error: 'internal server error' });
        })
        .then((reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json', 'x-served-by': name });
          res.end(JSON.stringify(reply.body));
        });
    },
  });
  console.log(JSON.stringify({ listening: server.port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
