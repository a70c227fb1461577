import { Server, createServer } from 'node:net';
import { assertPortsFree, findFreePorts, isPortFree } from './portAvailability';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('port availability', () => {
  let busy: Server | undefined;
  afterEach(async () => {
    await new Promise(resolve =>
      busy ? busy.close(resolve) : resolve(undefined),
    );
    busy = undefined;
  });

  it('hands out distinct free ports', async () => {
    const ports = await findFreePorts(6);
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) {
      expect(await isPortFree(port)).toBe(true);
    }
  });

  it('tells a taken port from a free one', async () => {
    const [port] = await findFreePorts(1);
    busy = await listen(port);
    expect(await isPortFree(port)).toBe(false);
  });

  it('names every taken port, its role and how to move it', async () => {
    const [taken, free] = await findFreePorts(2);
    busy = await listen(taken);
    await expect(
      assertPortsFree([
        { port: free, name: 'Alertmanager', hint: 'set ALERTMANAGER_PORT' },
        { port: taken, name: 'Prometheus', hint: 'set PROMETHEUS_PORT' },
      ]),
    ).rejects.toThrow(
      `Cannot start the local environment:\n  - port ${taken} (Prometheus) is already in use by another process; stop it or set PROMETHEUS_PORT (see: ss -ltnp 'sport = :${taken}')`,
    );
    await expect(
      assertPortsFree([{ port: free, name: 'Alertmanager' }]),
    ).resolves.toBeUndefined();
  });
});
