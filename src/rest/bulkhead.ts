import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';

export interface BulkheadOptions {
  /** Requests read and worked on at once. */
  concurrency: number;
  /** Requests that may wait for a turn; past that, 503 with Retry-After. */
  queue: number;
}

/**
 * An onRequest hook that lets at most `concurrency` requests of its routes in at once; the others
 * wait for a turn before their bodies are read. A bulk request holds megabytes while it is parsed,
 * validated, written and answered: twenty batches of 1,000 people at once took the process to
 * 212 MB, four at a time to 201 MB, with more batches served a second, not fewer
 * (bench/FINDINGS.md). A turn ends when the answer is sent or the client goes away, whichever
 * comes first.
 */
export function bulkhead({ concurrency, queue }: BulkheadOptions) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return async function admitBulk(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (active < concurrency) {
      active++;
      reply.raw.once('close', release);
      return;
    }
    if (waiting.length >= queue) {
      throw new DomainError('UNAVAILABLE', `${concurrency + queue} bulk requests are in progress or waiting; send this one again shortly.`, { retryAfter: 1 });
    }
    await new Promise<void>((resolve) => {
      const turn = () => {
        reply.raw.once('close', release);
        resolve();
      };
      waiting.push(turn);
      reply.raw.once('close', () => {
        // Gone while waiting: give up the place in the queue (a turn already given is released by its own listener).
        const place = waiting.indexOf(turn);
        if (place !== -1) {
          waiting.splice(place, 1);
          resolve();
        }
      });
    });
  };
}
