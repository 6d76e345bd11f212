import { createHash } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { stringify } from 'safe-stable-stringify';
import type { Database } from '../../db/client.ts';
import { selectRows } from '../../db/client.ts';
import { idempotencyKeys } from '../../db/schema.ts';
import { RETRY_AFTER_BUSY, runUseCase, type UseCaseHooks } from '../bind-use-cases.ts';
import { ambientTransaction, type Actor, type Clock } from '../context.ts';
import { DomainError } from '../errors.ts';

/** How long a key is remembered: a retry within this window replays the first response. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600 * 1000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotentRequest {
  key: string;
  method: string;
  /** The path with its query string. */
  path: string;
  body: unknown;
}

/**
 * What the request did: its response, and whether its effect stands. A refused request (4xx) is
 * remembered with its refusal, but what it did on the way is rolled back.
 */
export interface Outcome {
  response: StoredResponse;
  refused: boolean;
}

export type IdempotentResult = { replayed: false; response: StoredResponse } | { replayed: true; response: StoredResponse };

const principalOf = (actor: Actor) => (actor.clientId ? `client:${actor.clientId}` : `sub:${actor.sub}`);

/** The request as the key remembers it: method, path and the body as canonical JSON (keys sorted). */
export const requestHash = (request: Pick<IdempotentRequest, 'method' | 'path' | 'body'>) =>
  createHash('sha256')
    .update(`${request.method} ${request.path}\n${stringify(request.body ?? null)}`)
    .digest('base64url');

const REFUSED = Symbol('refused: roll the effect back, keep the response');

/**
 * Runs a request under an Idempotency-Key the way Stripe describes its keys: the key's claim, the
 * request's effect and its response commit in one transaction. After a crash either all three
 * exist (a retry replays the response) or none does (a retry runs the request once).
 *
 * A transaction-scoped advisory lock on the key makes a concurrent request with the same key
 * answer 409 with Retry-After at once, rather than wait or run twice; the lock goes with the
 * transaction, so a crashed holder never leaves a key stuck. Use cases the work calls run on this
 * transaction (ambientTransaction); a deadlock anywhere in it runs the whole unit again.
 */
export async function runIdempotent(
  deps: { db: Database; clock: Clock; hooks?: UseCaseHooks },
  actor: Actor,
  request: IdempotentRequest,
  work: () => Promise<Outcome>,
): Promise<IdempotentResult> {
  const principal = principalOf(actor);
  const hash = requestHash(request);
  const keyOf = and(eq(idempotencyKeys.orgId, actor.org), eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, request.key));
  return runUseCase(() =>
    deps.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Database;
      const now = deps.clock();
      const [lock] = await selectRows<{ locked: boolean }>(
        tx,
        sql`select pg_try_advisory_xact_lock(hashtextextended(${`${actor.org}\n${principal}\n${request.key}`}, 0)) as locked`,
      );
      if (!lock?.locked) {
        throw new DomainError('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running; retry shortly.', { retryAfter: RETRY_AFTER_BUSY });
      }
      const [existing] = await tx.select().from(idempotencyKeys).where(and(keyOf, gt(idempotencyKeys.expiresAt, now)));
      if (existing) {
        if (existing.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.');
        return { replayed: true, response: { status: existing.responseStatus ?? 200, headers: existing.responseHeaders ?? {}, body: existing.responseBody ?? '' } };
      }

      // The work runs in a savepoint: a refusal rolls back what it did, and its answer is still kept.
      let outcome: Outcome | undefined;
      await tx
        .transaction(async (savepoint) =>
          ambientTransaction.run(savepoint as unknown as Database, async () => {
            outcome = await work();
            if (outcome.refused) throw REFUSED;
          }),
        )
        .catch((error: unknown) => {
          if (error !== REFUSED) throw error;
        });
      const { response } = outcome!;
      const row = {
        orgId: actor.org,
        principal,
        key: request.key,
        method: request.method,
        path: request.path,
        requestHash: hash,
        responseStatus: response.status,
        responseHeaders: response.headers,
        responseBody: response.body,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
      };
      // An expired row of the same key may still be there until it is purged: it is replaced.
      await tx
        .insert(idempotencyKeys)
        .values(row)
        .onConflictDoUpdate({ target: [idempotencyKeys.orgId, idempotencyKeys.principal, idempotencyKeys.key], set: row });
      return { replayed: false, response };
    }),
    'idempotentRequest',
    deps.hooks,
  );
}
