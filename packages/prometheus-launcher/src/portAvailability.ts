/*
 * Port checks before starting: a port taken by something that is not ours must fail with a
 * message naming the port and its role, not with a process dying later with EADDRINUSE.
 */
import { AddressInfo, Server, createServer } from 'node:net';

/** Whether a server could listen on `host:port` right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES')
        resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

export interface PortRequirement {
  port: number;
  /** Role, e.g. `Prometheus`. */
  name: string;
  /** How to pick another port, e.g. `set PROMETHEUS_PORT`. */
  hint?: string;
}

/** Throws one error listing every required port that is taken. */
export async function assertPortsFree(
  requirements: PortRequirement[],
): Promise<void> {
  const taken: PortRequirement[] = [];
  for (const requirement of requirements) {
    if (!(await isPortFree(requirement.port))) taken.push(requirement);
  }
  if (taken.length === 0) return;
  const lines = taken.map(
    t =>
      `  - port ${t.port} (${t.name}) is already in use by another process${
        t.hint ? `; stop it or ${t.hint}` : '; stop it'
      } (see: ss -ltnp 'sport = :${t.port}')`,
  );
  throw new Error(`Cannot start the local environment:\n${lines.join('\n')}`);
}

/**
 * `count` distinct ports the OS considers free right now, for isolated test environments. All
 * are held open until every one is chosen, so none is handed out twice.
 */
export async function findFreePorts(
  count: number,
  host = '127.0.0.1',
): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: 0, host, exclusive: true }, () => resolve());
      });
    }
    return servers.map(server => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(
      servers.map(server => new Promise(resolve => server.close(resolve))),
    );
  }
}
