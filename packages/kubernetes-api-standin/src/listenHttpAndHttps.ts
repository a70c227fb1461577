/*
 * One port that speaks both plain HTTP (what client-node and the portal's config use) and HTTPS
 * (kubectl sends bearer tokens only over TLS): the first byte of a connection tells which (0x16
 * starts a TLS handshake).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface HttpAndHttpsListener {
  /** The port listened on (the chosen one when 0 was asked). */
  port: number;
  /** Whether TLS connections are accepted. */
  secure: boolean;
  /** Stops listening and destroys open connections. */
  close(): Promise<void>;
}

export async function listenHttpAndHttps(options: {
  host: string;
  port: number;
  /** Certificate and key files; undefined = plain HTTP only. */
  tls?: { certFile: string; keyFile: string };
  onRequest: http.RequestListener;
}): Promise<HttpAndHttpsListener> {
  const { host, tls, onRequest } = options;
  const server = http.createServer(onRequest);
  const secureServer = tls
    ? https.createServer(
        {
          cert: fs.readFileSync(tls.certFile),
          key: fs.readFileSync(tls.keyFile),
        },
        onRequest,
      )
    : undefined;
  const sockets = new Set<net.Socket>();
  const listener = net.createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', first => {
      socket.pause();
      socket.unshift(first);
      const target = secureServer && first[0] === 0x16 ? secureServer : server;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port, host, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const address = listener.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    secure: Boolean(secureServer),
    close: () =>
      new Promise<void>((resolve, reject) => {
        listener.close(err => (err ? reject(err) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
