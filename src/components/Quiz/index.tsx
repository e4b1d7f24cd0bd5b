// <Quiz chapter="NN" questions={[…]} />: the quiz (./Quiz.tsx) as an island, loaded and hydrated
// when the reader comes near it (../Island); the server renders it in full, so it shows at once.
import { island } from '../Island';

export type { QuizOption, QuizQuestion } from './score';

// The server's copy: the browser's bundle leaves it out (src/plugins/server-render-flag.ts).
const onServer = process.env.STATELAB_SERVER_RENDER
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at once, on the server only
    (require('./Quiz') as typeof import('./Quiz'))
  : undefined;

export default island('quiz', () => import('./Quiz'), onServer);
