// What a route returns: a status, a JSON body and optional headers. Plain data, no Node types,
// so routes can be tested (and reused in the browser) without a real server.

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers,
});
