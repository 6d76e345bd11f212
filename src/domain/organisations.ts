import { organisations } from '../db/schema.ts';
import type { Ctx } from './context.ts';

/** Organisations come from tokens; the first write of an organisation records it. */
export async function ensureOrganisation(ctx: Ctx): Promise<void> {
  await ctx.db.insert(organisations).values({ id: ctx.actor.org, name: ctx.actor.org }).onConflictDoNothing();
}
