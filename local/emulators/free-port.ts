import { createServer } from 'node:net';

/**
 * Asks the OS for a free loopback port. Only for servers we cannot start on port 0 ourselves (DynamoDB Local
 * takes its port on the command line): another process could grab the port before it binds, which the caller
 * notices as a failed start.
 */
export const findFreePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not find a free port'))));
    });
  });
