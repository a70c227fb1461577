/*
 * The production profile's load balancer: a small round robin in front of the backend replicas,
 * as a Kubernetes Service or an ingress would be. Each request goes to the next replica that is
 * not marked down; a replica that refuses a connection is marked down for a while and the request
 * goes to the next one (like nginx's `proxy_next_upstream error`): requests that were never
 * delivered (connection refused), and GET/HEAD whatever happened before the answer's headers.
 * Websocket upgrades (Backstage's signals) are piped through; answers are streamed.
 * Every answer carries `x-served-by: <replica>` so tests can tell the replicas apart.
 */
import http from 'node:http';
import { AddressInfo, Socket, connect } from 'node:net';

export interface RoundRobinBackend {
  name: string;
  host: string;
  port: number;
}

export interface RoundRobinProxy {
  url: string;
  port: number;
  /** Answers (by status) per replica, and 502s the proxy gave itself. */
  stats(): Record<string, { answers: number; errors: number }>;
  close(): Promise<void>;
}

export const SERVED_BY_HEADER = 'x-served-by';
const DOWN_FOR_MS = 2_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  const remote = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for']
    ? `${req.headers['x-forwarded-for']}, ${remote}`
    : remote;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-host'] ??= req.headers.host;
  return headers;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export async function startRoundRobinProxy(options: {
  port: number;
  host?: string;
  backends: RoundRobinBackend[];
  log?: (message: string) => void;
}): Promise<RoundRobinProxy> {
  const { backends } = options;
  const log = options.log ?? (() => {});
  const downUntil = new Map<string, number>();
  const counts = new Map<string, { answers: number; errors: number }>(
    backends.map(b => [b.name, { answers: 0, errors: 0 }]),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;

  /** The next replica in turn, skipping those marked down (all down: try them anyway). */
  const pick = (exclude: Set<string>): RoundRobinBackend | undefined => {
    const now = Date.now();
    const candidates = backends.filter(b => !exclude.has(b.name));
    if (candidates.length === 0) return undefined;
    const up = candidates.filter(b => (downUntil.get(b.name) ?? 0) <= now);
    const pool = up.length > 0 ? up : candidates;
    return pool[next++ % pool.length];
  };

  const markDown = (backend: RoundRobinBackend, reason: string) => {
    if ((downUntil.get(backend.name) ?? 0) <= Date.now()) {
      log(
        `replica ${backend.name} marked down for ${DOWN_FOR_MS} ms: ${reason}`,
      );
    }
    downUntil.set(backend.name, Date.now() + DOWN_FOR_MS);
  };

  const server = http.createServer(async (req, res) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      res.writeHead(413).end((error as Error).message);
      return;
    }
    const idempotent = req.method === 'GET' || req.method === 'HEAD';
    const tried = new Set<string>();
    const attempt = () => {
      const backend = pick(tried);
      if (!backend) {
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end('no backend replica answered');
        return;
      }
      tried.add(backend.name);
      const upstream = http.request({
        host: backend.host,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: forwardedHeaders(req),
        agent,
      });
      upstream.once('response', answer => {
        counts.get(backend.name)!.answers++;
        const headers: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!HOP_BY_HOP.has(name)) headers[name] = value;
        }
        headers[SERVED_BY_HEADER] = backend.name;
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
        // The replica died mid-answer: end the client's answer abruptly too, never "complete".
        answer.once('aborted', () => res.destroy());
        answer.once('error', () => res.destroy());
      });
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        markDown(backend, error.code ?? error.message);
        // Never delivered, or safe to repeat: the next replica answers instead.
        if (error.code === 'ECONNREFUSED' || idempotent) {
          attempt();
          return;
        }
        counts.get(backend.name)!.errors++;
        res
          .writeHead(502, {
            'content-type': 'text/plain',
            [SERVED_BY_HEADER]: backend.name,
          })
          .end(`replica ${backend.name} failed: ${error.message}`);
      });
      // The client gave up: stop the replica's work on it.
      res.once('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end(body);
    };
    attempt();
  });

  // Websockets (and any other upgrade): a raw pipe to one replica. Upgraded sockets are no
  // longer the server's: close() ends them itself.
  const upgraded = new Set<Socket>();
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const backend = pick(new Set());
    if (!backend) {
      socket.destroy();
      return;
    }
    const upstream = connect(backend.port, backend.host, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.once('error', error => {
      markDown(backend, error.message);
      socket.destroy();
    });
    socket.once('error', () => upstream.destroy());
    socket.once('close', () => upstream.destroy());
    upstream.once('close', () => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats: () => Object.fromEntries(counts),
    close: async () => {
      agent.destroy();
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
