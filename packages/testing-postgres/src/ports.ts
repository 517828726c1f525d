/**
 * Loopback ports: the server listens on 127.0.0.1 only, on a port nobody
 * else holds, and whether it accepts connections there is the test of it
 * being up or down.
 */
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port that was free on 127.0.0.1 a moment ago (someone may take it before the server does). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('Could not read the free port'))));
    });
  });
}

/** Whether something accepts a TCP connection on 127.0.0.1:`port` within a second. */
export function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (accepted: boolean): void => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until the port accepts connections (`open`) or refuses them; false if that took longer than `timeoutMs`. */
export async function waitForPort(port: number, open: boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await portAcceptsConnections(port)) !== open) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
