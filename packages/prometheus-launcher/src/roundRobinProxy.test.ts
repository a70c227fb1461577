import http from 'node:http';
import { AddressInfo } from 'node:net';
import { SERVED_BY_HEADER, startRoundRobinProxy } from './roundRobinProxy';

async function replica(name: string) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () =>
      res.end(JSON.stringify({ name, method: req.method, body })),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('startRoundRobinProxy', () => {
  it('alternates, and sends everything to the live replica once one is gone', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const proxy = await startRoundRobinProxy({
      port: 0,
      backends: [a, b].map(r => ({
        name: r.name,
        host: '127.0.0.1',
        port: r.port,
      })),
    });
    try {
      const served = async (init?: RequestInit) => {
        const response = await fetch(`${proxy.url}/x`, init);
        expect(response.status).toBe(200);
        const body = await response.json();
        expect(body.name).toBe(response.headers.get(SERVED_BY_HEADER));
        return body;
      };
      const names = [];
      for (let i = 0; i < 4; i++) names.push((await served()).name);
      expect(names.sort()).toEqual(['a', 'a', 'b', 'b']);

      await a.close();
      // Refused connections are retried on the other replica, for GETs and for writes (a
      // refused request was never delivered), with their bodies.
      for (let i = 0; i < 4; i++) {
        expect(await served()).toMatchObject({ name: 'b', method: 'GET' });
        expect(await served({ method: 'POST', body: 'payload' })).toMatchObject(
          { name: 'b', method: 'POST', body: 'payload' },
        );
      }
    } finally {
      await proxy.close();
      await b.close();
    }
  });
});
