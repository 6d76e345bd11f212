import { stageHistory } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import type { HistoryEntry } from '../schemas/relationship.ts';
import { presentHistory } from './present-history.ts';
import { readByRelationships } from './visibility.ts';

const historyOf = readByRelationships(stageHistory, stageHistory.relationshipId);

/** The stage history of many relationships at once, of those the caller may see (GraphQL's loaders). */
export async function loadHistoryByRelationships(ctx: Ctx, input: { relationshipIds: string[] }): Promise<(HistoryEntry & { relationshipId: string })[]> {
  authorize(ctx.actor, 'listTransitions');
  return (await historyOf(ctx, input.relationshipIds)).map((row) => ({ ...presentHistory(row), relationshipId: row.relationshipId }));
}
