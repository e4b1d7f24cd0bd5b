// <ClusterSimulator mode="sticky" />: the simulator (./Simulator.tsx) as an island, loaded and
// hydrated when the reader comes near it (../Island); the server renders it in full, so it shows at once.
import { island } from '../Island';

export type { ClusterSimulatorProps } from './Simulator';

// The server's copy: the browser's bundle leaves it out (src/plugins/server-render-flag.ts).
const onServer = process.env.STATELAB_SERVER_RENDER
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at once, on the server only
    (require('./Simulator') as typeof import('./Simulator'))
  : undefined;

export default island('cluster-simulator', () => import('./Simulator'), onServer);
