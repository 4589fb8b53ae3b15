import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A receiver that only counts: 200 at once, nothing kept, so it costs both contenders the same. */
export interface CountingReceiver {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  /** Requests since the last reset, and how many of them carried `expectedAuthorization`. */
  counts(): { requests: number; authorized: number };
  reset(): void;
  close(): Promise<void>;
}

/** Starts the receiver; `isAuthorized` tells a request whose Authorization header is right. */
export const startCountingReceiver = async (
  isAuthorized: (path: string, authorization: string | undefined) => boolean,
): Promise<CountingReceiver> => {
  let requests = 0;
  let authorized = 0;
  const server = createServer({ keepAlive: true }, (request, response) => {
    // Drain the body before answering, as a real receiver would read it.
    request.resume();
    request.on('end', () => {
      requests++;
      if (isAuthorized(request.url ?? '', request.headers.authorization)) authorized++;
      response.writeHead(200, { 'content-length': '0' }).end();
    });
  });
  // Keep-alive sockets of both clients stay open between rounds; the default 5 s could close one mid-run.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    counts: () => ({ requests, authorized }),
    reset: () => {
      requests = 0;
      authorized = 0;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
