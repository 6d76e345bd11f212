import { relationships, sessions } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { readByRelationships } from '../relationships/visibility.ts';
import type { RhythmStatus } from '../schemas/rhythm.ts';
import { rhythmStatusOf } from './rhythm-status.ts';

const relationshipsOf = readByRelationships(relationships, relationships.id);
const sessionsOf = readByRelationships(sessions, sessions.relationshipId);

/**
 * The rhythm status of many relationships at once (GraphQL's loaders): two statements per batch,
 * whatever its size, each with the single read's visibility (a member gets only their own).
 */
export async function loadRhythmsByRelationships(ctx: Ctx, input: { relationshipIds: string[] }): Promise<RhythmStatus[]> {
  authorize(ctx.actor, 'getRhythm');
  const [rows, sessionRows] = await Promise.all([relationshipsOf(ctx, input.relationshipIds), sessionsOf(ctx, input.relationshipIds)]);
  const now = ctx.clock();
  return rows.map((row) =>
    rhythmStatusOf(
      row,
      sessionRows.flatMap((s) => (s.relationshipId === row.id && s.status === 'held' && s.heldAt ? [s.heldAt] : [])),
      now,
    ),
  );
}
