// The reader's exercise progress for the local site: what `npm run check` last found for each
// exercise, answered at EXERCISE_PROGRESS_PATH from .statelab/progress.json, read again on every
// request, so the progress table follows the checks without a rebuild. `npm start` serves it beside
// the build (tools/static-server.ts); this Docusaurus plugin adds it to the dev server (`npm run dev`).
// A copy of the site hosted elsewhere has no server of ours: there the table says how to see this.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoadContext, Plugin } from '@docusaurus/types';
// Docusaurus's dev server; importing its types also adds `devServer` to webpack's Configuration.
import type { Configuration as DevServerConfiguration } from 'webpack-dev-server';
import { EXERCISE_PROGRESS_PATH } from '../components/Progress/exercise-progress';
import { progressFile, readProgressFile } from '../../tools/checks/progress';

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** 127.0.0.1/8 and ::1, also as IPv4-mapped IPv6 addresses. */
const LOOPBACK_PEER = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
/** The names a page on this machine uses for it. Any other Host means a page elsewhere got here,
 *  for example by pointing its own DNS name at 127.0.0.1 (DNS rebinding). */
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/**
 * Answers GET (and HEAD) EXERCISE_PROGRESS_PATH with the recorded progress (a damaged or missing
 * file reads as none), only to a browser on this machine, 405 to any other method there (the
 * progress is written by `npm run check`, never over HTTP), and passes every other request on.
 */
export function exerciseProgressMiddleware(file: () => string): Handler {
  return (req, res, next) => {
    if ((req.url ?? '').split('?')[0] !== EXERCISE_PROGRESS_PATH) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('The exercise progress is read-only here: `npm run check` writes it.\n');
      return;
    }
    // The dev server allows every origin (access-control-allow-origin: *); this answer is for
    // the site's own pages only.
    res.removeHeader('access-control-allow-origin');
    const peer = req.socket.remoteAddress ?? '';
    if (!LOOPBACK_PEER.test(peer) || !LOOPBACK_HOST.test(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Exercise progress is shown only on the machine that runs the checks.\n');
      return;
    }
    const body = JSON.stringify(readProgressFile(file()));
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(body);
  };
}

/**
 * The dev server's setupMiddlewares hook. Docusaurus merges a plugin's devServer config into its
 * own with webpack-merge, which calls both hooks with the same list and joins what they return:
 * so this returns only what it adds. Added last, after the history fallback that answers unknown
 * paths with the site's index page; the table's fetch asks for JSON (its Accept header), which
 * that fallback passes on (tests/site/exercise-progress-endpoint.test.ts shows both).
 */
export function addExerciseProgress(handler: Handler): DevServerConfiguration['setupMiddlewares'] {
  return () => [{ name: 'statelab-exercise-progress', middleware: handler }];
}

export default function exerciseProgress(context: LoadContext): Plugin {
  return {
    name: 'statelab-exercise-progress',
    configureWebpack(config, isServer) {
      if (isServer || config.mode !== 'development') return undefined;
      const handler = exerciseProgressMiddleware(() => progressFile(context.siteDir));
      return { devServer: { setupMiddlewares: addExerciseProgress(handler) } };
    },
  };
}
