// The port `npm start` (tools/start-site.ts) and `npm run dev` (tools/site-server.mjs) serve on, as a
// reader types it. CommonJS, so that both the TypeScript tool and the plain ES module can load it.
//
// Only a decimal number from 1 to 65535 is a port here. Number() would also take "0x1F90" (8080),
// " 3000" and "3e3", and Docusaurus's parseInt takes "0x1F90" as 0 and "8080abc" as 8080: a typo
// would serve the site somewhere the reader did not ask for.
const { createServer } = require('node:net');

/**
 * The port `text` names, or undefined when it is not a decimal port number.
 * @param {string} text
 * @returns {number | undefined}
 */
function parsePort(text) {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

/**
 * What is wrong with a port the reader gave, for the error message; `from` says where it came
 * from (`--port`, `PORT`).
 * @param {string} from
 * @param {string} text
 */
function badPortMessage(from, text) {
  return `${from} must be a port number, 1 to 65535 in decimal, not "${text}".`;
}

/**
 * Whether something listens on `port` at [::1], IPv6's loopback. A site bound to 127.0.0.1 is not
 * told (the two addresses are different sockets), yet a browser opening http://localhost:PORT may
 * resolve localhost to ::1 first and reach that other server instead. Asked by listening there for
 * a moment: EADDRINUSE means taken; no IPv6 loopback at all means nothing can be there.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function takenOnIpv6Loopback(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (/** @type {NodeJS.ErrnoException} */ error) =>
      resolve(error.code === 'EADDRINUSE'),
    );
    probe.listen({ port, host: '::1', exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

module.exports = { parsePort, badPortMessage, takenOnIpv6Loopback };
