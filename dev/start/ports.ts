import { createServer } from 'node:net';

/** Resolves when `port` can be bound on loopback; rejects with a message that names the port and its owner. */
export function assertPortFree(port: number, owner: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${owner}) is already in use. Stop whatever holds it, or start Keyward with other ports (see README: npm start -- --help).`
            : `Cannot bind port ${port} (${owner}): ${error.message}`,
        ),
      ),
    );
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}
