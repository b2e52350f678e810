// A TCP port nothing listens on right now, for a daemon the tests start on `ip`.
import { createServer } from 'node:net';

export function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error(`no free TCP port on ${ip}`))));
    });
  });
}
