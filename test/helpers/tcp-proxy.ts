import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a server, that a test can stop (every connection cut,
 * new ones refused: the database is gone), black-hole (connections accepted, nothing forwarded
 * either way: a network that drops packets) and start again on the same port.
 */
export async function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream?: Socket }>();
  let server: Server | undefined;
  let port = 0;
  let blackholed = false;

  const track = (socket: Socket, pair: { client: Socket; upstream?: Socket }) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      pair.client.destroy();
      pair.upstream?.destroy();
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        const pair: { client: Socket; upstream?: Socket } = { client };
        pairs.add(pair);
        client.on('close', () => pairs.delete(pair));
        track(client, pair);
        // Black-holed: the connection is accepted and whatever is sent goes nowhere.
        if (blackholed) return void client.on('data', () => {});
        pair.upstream = createConnection(target);
        track(pair.upstream, pair);
        client.pipe(pair.upstream).pipe(client);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as { port: number }).port;
        server = next;
        resolve();
      });
    });

  await listen();
  return {
    get port() {
      return port;
    },
    /** Cuts every connection and refuses new ones. */
    async stop() {
      const closing = server;
      server = undefined;
      blackholed = false;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    start: listen,
    /** From now on nothing passes, on open connections or new ones; nothing is closed either. */
    blackhole() {
      blackholed = true;
      for (const { client, upstream } of pairs) {
        if (!upstream) continue;
        client.unpipe(upstream);
        upstream.unpipe(client);
        for (const socket of [client, upstream]) socket.on('data', () => {});
      }
    },
    /** The network is back: the black-holed connections are cut (as a peer's reset would), new ones pass. */
    heal() {
      blackholed = false;
      for (const socket of sockets) socket.destroy();
    },
  };
}
