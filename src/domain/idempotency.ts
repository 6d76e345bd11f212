import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema.ts';
import type { Ctx } from './context.ts';

const KEEP_MS = 24 * 3600 * 1000;
// A claim with no response after this long belongs to a request that died: it may be taken over.
const ABANDONED_MS = 60 * 1000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

const principalOf = (ctx: Ctx) => (ctx.actor.clientId ? `client:${ctx.actor.clientId}` : `sub:${ctx.actor.sub}`);
const keyOf = (ctx: Ctx, key: string) =>
  and(eq(idempotencyKeys.orgId, ctx.actor.org), eq(idempotencyKeys.principal, principalOf(ctx)), eq(idempotencyKeys.key, key));

/** Claims an Idempotency-Key for one request, or says what the first request with it became. */
export async function claimIdempotencyKey(ctx: Ctx, input: { key: string; method: string; path: string; requestHash: string }): Promise<Claim> {
  const now = ctx.clock();
  const fresh = { ...input, orgId: ctx.actor.org, principal: principalOf(ctx), createdAt: now, expiresAt: new Date(now.getTime() + KEEP_MS) };
  const [inserted] = await ctx.db.insert(idempotencyKeys).values(fresh).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  if (inserted) return { kind: 'claimed' };

  const [takenOver] = await ctx.db
    .update(idempotencyKeys)
    .set({ ...fresh, responseStatus: null, responseHeaders: null, responseBody: null })
    .where(
      and(
        keyOf(ctx, input.key),
        or(lt(idempotencyKeys.expiresAt, now), and(isNull(idempotencyKeys.responseStatus), lt(idempotencyKeys.createdAt, new Date(now.getTime() - ABANDONED_MS)))),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (takenOver) return { kind: 'claimed' };

  const [existing] = await ctx.db.select().from(idempotencyKeys).where(keyOf(ctx, input.key));
  if (!existing) return claimIdempotencyKey(ctx, input); // expired and deleted between the two statements
  if (existing.requestHash !== input.requestHash || existing.method !== input.method || existing.path !== input.path) return { kind: 'mismatch' };
  if (existing.responseStatus === null) return { kind: 'in_progress' };
  return { kind: 'replay', response: { status: existing.responseStatus, headers: existing.responseHeaders ?? {}, body: existing.responseBody ?? '' } };
}

export async function completeIdempotencyKey(ctx: Ctx, input: { key: string; response: StoredResponse }): Promise<void> {
  await ctx.db
    .update(idempotencyKeys)
    .set({ responseStatus: input.response.status, responseHeaders: input.response.headers, responseBody: input.response.body })
    .where(keyOf(ctx, input.key));
}

/** Server errors are not remembered: the client's retry should run the request again. */
export async function releaseIdempotencyKey(ctx: Ctx, input: { key: string }): Promise<void> {
  await ctx.db.delete(idempotencyKeys).where(and(keyOf(ctx, input.key), isNull(idempotencyKeys.responseStatus)));
}

export async function purgeExpiredIdempotencyKeys(ctx: Ctx): Promise<number> {
  const rows = await ctx.db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, ctx.clock())).returning({ key: idempotencyKeys.key });
  return rows.length;
}
