import WebSocket from 'ws';

// A minimal graphql-transport-ws client over a real WebSocket, enough to test subscriptions.

export interface Message {
  type: string;
  id?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload?: any;
}

export interface SubscriptionClient {
  /** The refusal of connection_init (connection_error, or a close), if any. */
  refused: Message | null;
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
  /** The next message for a subscription id, or null when none arrives within `ms`. */
  next(id: string, ms?: number): Promise<Message | null>;
  close(): Promise<void>;
}

export async function connectSubscriptions(url: string, connectionParams: Record<string, unknown> | null): Promise<SubscriptionClient> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const inbox: Message[] = [];
  const waiters = new Set<() => void>();
  const deliver = (message: Message) => {
    inbox.push(message);
    for (const wake of waiters) wake();
  };
  socket.on('message', (raw) => deliver(JSON.parse(String(raw)) as Message));
  socket.on('close', (code, reason) => deliver({ type: 'socket_closed', payload: { code, reason: String(reason) } }));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  const take = async (matches: (m: Message) => boolean, ms: number): Promise<Message | null> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = inbox.findIndex(matches);
      if (index >= 0) return inbox.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        waiters.add(wake);
      });
    }
  };

  socket.send(JSON.stringify({ type: 'connection_init', ...(connectionParams ? { payload: connectionParams } : {}) }));
  const answer = await take((m) => ['connection_ack', 'connection_error', 'socket_closed'].includes(m.type), 5000);

  return {
    refused: answer?.type === 'connection_ack' ? null : (answer ?? { type: 'timeout' }),
    subscribe(id, query, variables) {
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, ...(variables ? { variables } : {}) } }));
    },
    next: (id, ms = 5000) => take((m) => m.id === id || m.type === 'socket_closed', ms),
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
}
