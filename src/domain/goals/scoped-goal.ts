import { and, eq } from 'drizzle-orm';
import { goals } from '../../db/schema.ts';
import { loadRelationship, type ScopedRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { forbidden, notFound } from '../errors.ts';
import type { GoalRow } from './load-goals.ts';

/** A goal of a relationship the caller may see, locked with its relationship for a change. */
export async function loadScopedGoal(
  ctx: Ctx,
  ids: { relationshipId: string; goalId: string },
  options: { lock?: boolean } = {},
): Promise<{ goal: GoalRow; relationship: ScopedRelationship }> {
  const relationship = await loadRelationship(ctx, ids.relationshipId, options);
  const query = ctx.db
    .select()
    .from(goals)
    .where(and(eq(goals.orgId, ctx.actor.org), eq(goals.relationshipId, ids.relationshipId), eq(goals.id, ids.goalId)));
  const [goal] = options.lock ? await query.for('update') : await query;
  if (!goal) throw notFound('goal', ids.goalId);
  return { goal, relationship };
}

/** Only the mentor may vouch that a goal is realistic; organisation roles record it on their behalf. */
export function requireMentorForRealism(relationship: ScopedRelationship, confirming: boolean | undefined, isOrgRole: boolean): void {
  if (confirming === true && !isOrgRole && relationship.party !== 'mentor') {
    throw forbidden('Only the mentor can confirm that a goal is realistic.');
  }
}
