import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DomainError, ERROR_TABLE, type ErrorCode } from '../domain/errors.ts';
import { PROBLEM_CONTENT_TYPE, problemFor } from './problems.ts';

/** Seconds a client waits before sending again a request refused while this instance shuts down. */
export const RETRY_AFTER_CLOSING = 1;

/**
 * While the app closes, fastify would answer `503 {"error":"Service Unavailable"}` by itself
 * (return503OnClosing, switched off in app.ts). Instead every request that still arrives (on a
 * keep-alive connection, or pipelined) is refused here with UNAVAILABLE and Retry-After; the
 * route's own error handler writes it, so /v1 answers a problem, /scim/v2 a SCIM error and
 * /graphql a GraphQL error. Register it first, so nothing else runs for such a request.
 */
export function refuseWhileClosing(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close').header('retry-after', String(RETRY_AFTER_CLOSING));
    done(new DomainError('UNAVAILABLE', 'This instance is shutting down; send the request again.', { retryAfter: RETRY_AFTER_CLOSING }));
  });
}

/** An answer's body and media type, for a transport with its own error shape (SCIM under /scim/v2). */
export type EdgeAnswer = (path: string, status: number, detail: string) => { contentType: string; body: unknown } | undefined;

/** Node's HTTP parser errors, by code, and the error they are answered with. */
function refusalOf(code: string | undefined): { code: ErrorCode; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { code: 'HEADERS_TOO_LARGE', detail: 'The request line and headers exceed the 16 KB this server reads.' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'REQUEST_TIMEOUT', detail: 'The request was not received in time.' };
  return { code: 'BAD_USER_INPUT', detail: `The request is not valid HTTP/1.1 (${code ?? 'unparsable'}).` };
}

/** The path of the request line at the start of the bytes Node could not parse, if it is there. */
function pathOf(rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  const line = /^[A-Z]{1,20} (\/[^ \r\n]{0,2048})/.exec(rawPacket.subarray(0, 2100).toString('latin1'));
  return line?.[1];
}

/**
 * fastify's clientErrorHandler: what Node's HTTP parser refuses (oversized headers 431, a request
 * that does not parse 400, a request not received in time 408) leaves as a problem, or in the
 * shape `answerFor` gives for its path, instead of fastify's `{"error": …}`. There is no request
 * object yet, so the answer is written on the socket, which is then closed.
 */
export function clientErrorHandler(answerFor: EdgeAnswer) {
  return function handleClientError(this: FastifyInstance, error: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Socket) {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    this.log.debug({ err: { code: error.code, message: error.message } }, 'client error');
    const { code, detail } = refusalOf(error.code);
    const { status } = ERROR_TABLE[code];
    const path = pathOf(error.rawPacket);
    const own = path === undefined ? undefined : answerFor(path.split('?')[0]!, status, detail);
    const body = JSON.stringify(own?.body ?? problemFor(code, detail, path ?? ''));
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${own?.contentType ?? PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
