// <ChapterDone chapter="NN" />: the reader's progress in a chapter (./ChapterDoneBox.tsx), at the
// chapter's end, as an island (../Island): its code, its hydration and its question to the local
// site about the exercise are off the page's first load, until the reader comes near it. The server
// renders it in full, so it shows at once.
import { island } from '../Island';

// The server's copy: the browser's bundle leaves it out (src/plugins/server-render-flag.ts).
const onServer = process.env.STATELAB_SERVER_RENDER
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at once, on the server only
    (require('./ChapterDoneBox') as typeof import('./ChapterDoneBox'))
  : undefined;

export default island('chapter-done', () => import('./ChapterDoneBox'), onServer);
