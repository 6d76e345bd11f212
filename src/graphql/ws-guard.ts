import type { FastifyInstance } from 'fastify';
import type { ValidationRule } from 'graphql';
import type { PerTokenLimit } from '../auth/per-token-limit.ts';
import type { Actor } from '../domain/context.ts';
import { DomainError } from '../domain/errors.ts';
import { bearerToken } from './authenticate.ts';
import { webSocketDocumentRefusal } from './document-guard.ts';

/** The close codes of the graphql-transport-ws protocol this guard answers with. */
export const CLOSE = {
  BAD_REQUEST: 4400,
  UNAUTHORIZED: 4401,
  FORBIDDEN: 4403,
  CONNECTION_INIT_TIMEOUT: 4408,
  TOO_MANY_REQUESTS: 4429,
} as const;

interface GuardedSocket {
  protocol: string;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  once(event: 'close', listener: () => void): unknown;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const MODERN = 'graphql-transport-ws';

const parse = (raw: unknown): { type?: unknown; id?: unknown; payload?: unknown } | null => {
  try {
    const message: unknown = JSON.parse(String(raw));
    return message && typeof message === 'object' && !Array.isArray(message) ? message : null;
  } catch {
    return null;
  }
};

// A close reason is at most 123 bytes.
const reason = (text: string) => Buffer.from(text).subarray(0, 123).toString().replace(/\uFFFD$/, '');

/**
 * Stands in front of mercurius on each /graphql WebSocket (plugin.ts wraps the route's wsHandler):
 * sees each message first, in order,
 * and passes on only what the protocol and the caller's token allow. mercurius answers a refused
 * connection_init with a `connection_error` (a message of the legacy protocol) and a close without
 * a code; graphql-transport-ws wants close codes, and every operation spends the caller's per-token
 * budget, as a REST or GraphQL HTTP request does:
 * - 4400 a message that is not JSON with a type, or a connection_init payload that is not an object;
 * - 4401 connection_init without a bearer token, or subscribe before the connection is acknowledged;
 * - 4403 a token that is refused (invalid, expired, revoked);
 * - 4408 no connection_init within `connectionInitTimeoutMs` of opening (either protocol): an idle
 *   socket holds memory and a file descriptor for nothing;
 * - 4429 a second connection_init, or a connection_init over the token's budget;
 * - a subscribe over the budget gets an `error` message with code RATE_LIMITED; the connection stays;
 * - a subscribe whose document breaks the limits of a document over HTTP (tokens, depth, cost,
 *   aliases, directives) gets an `error` message with the same codes; the connection stays.
 * The legacy protocol (graphql-ws) keeps mercurius' own answers; its operations spend the budget too.
 */
export interface WebSocketGuardOptions {
  limit: PerTokenLimit;
  /** The validation rules a document over HTTP meets (plugin.ts validationRulesFor). */
  rules: readonly ValidationRule[];
  maxTokens: number;
  connectionInitTimeoutMs: number;
}

export function webSocketGuard(app: FastifyInstance, { limit, rules, maxTokens, connectionInitTimeoutMs }: WebSocketGuardOptions) {
  return (socket: GuardedSocket): void => {
    const modern = socket.protocol === MODERN;
    const emit = socket.emit.bind(socket);
    let actor: Actor | null = null;
    let initialised = false;
    let closed = false;
    const refuse = (code: number, text: string) => {
      closed = true;
      socket.close(code, reason(text));
    };
    const initTimer = setTimeout(() => {
      if (!initialised && !closed) refuse(CLOSE.CONNECTION_INIT_TIMEOUT, 'Connection initialisation timeout');
    }, connectionInitTimeoutMs);
    socket.once('close', () => clearTimeout(initTimer));

    const judge = async (raw: unknown, isBinary: unknown): Promise<void> => {
      if (closed) return;
      const pass = () => void emit('message', raw, isBinary);
      const message = parse(raw);
      if (!message || typeof message.type !== 'string') {
        if (modern) return refuse(CLOSE.BAD_REQUEST, 'Invalid message received: send JSON with a type');
        return pass();
      }
      if (message.type === 'connection_init') {
        if (initialised) return modern ? refuse(CLOSE.TOO_MANY_REQUESTS, 'Too many initialisation requests') : pass();
        initialised = true;
        const payload = message.payload;
        if (payload !== undefined && payload !== null && (typeof payload !== 'object' || Array.isArray(payload))) {
          return modern ? refuse(CLOSE.BAD_REQUEST, 'connection_init payload must be an object') : pass();
        }
        const token = bearerToken(payload);
        if (!token) {
          return modern ? refuse(CLOSE.UNAUTHORIZED, 'Unauthorized: send { "authorization": "Bearer <jwt>" } in connection_init') : pass();
        }
        try {
          actor = await app.verifyBearer(token);
        } catch (error) {
          return modern ? refuse(CLOSE.FORBIDDEN, `Forbidden: ${error instanceof Error ? error.message : 'the token is refused'}`) : pass();
        }
        const budget = await limit.spend(actor);
        if (!budget.allowed && modern) return refuse(CLOSE.TOO_MANY_REQUESTS, `Rate limited: retry in ${budget.resetIn} seconds`);
        return pass();
      }
      const operation = modern ? 'subscribe' : 'start';
      if (message.type === operation) {
        if (!actor) return modern ? refuse(CLOSE.UNAUTHORIZED, 'Unauthorized') : pass();
        const budget = await limit.spend(actor);
        if (!budget.allowed) {
          const refusal = new DomainError('RATE_LIMITED', `More than ${budget.max} requests a minute; retry in ${budget.resetIn} seconds.`);
          const error = { message: refusal.message, extensions: { code: refusal.code, retryAfter: budget.resetIn } };
          socket.send(JSON.stringify({ type: 'error', id: message.id, payload: modern ? [error] : error }));
          return;
        }
        const payload = (message.payload ?? {}) as { query?: unknown };
        const refused = webSocketDocumentRefusal(app.graphql.schema, payload.query, rules, maxTokens);
        if (refused) {
          socket.send(JSON.stringify({ type: 'error', id: message.id, payload: modern ? refused : refused[0] }));
          return;
        }
      }
      return pass();
    };

    // Messages are judged one after another, so none overtakes a connection_init being verified.
    let queue = Promise.resolve();
    socket.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event !== 'message') return emit(event, ...args);
      queue = queue.then(() => judge(args[0], args[1])).catch((error: unknown) => {
        app.log.error({ err: error }, 'WebSocket guard failed');
        refuse(1011, 'Internal error');
      });
      return true;
    };
  };
}
