import { seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { authorize } from '../permissions.ts';
import { programmeRowsIn } from '../programmes/load-programmes-by-ids.ts';
import type { Goal } from '../schemas/goal.ts';
import type { Programme } from '../schemas/programme.ts';
import type { Relationship } from '../schemas/relationship.ts';
import { nextStages, type NextStage } from '../stage-models/index.ts';
import { loadGuardSnapshots, type ProgrammeFacts, type RelationshipFacts } from './guard-snapshot.ts';
import { visibleRelationshipRows } from './load-relationships-by-ids.ts';
import { distinctIds } from './visibility.ts';

/**
 * The "what is still missing" view of many relationships at once (GraphQL's loaders): the same
 * guard facts as getNextStages, gathered for all of them in a few statements. The relationships are
 * as the caller read them. `programmes` and `goals` (of these relationships, possibly still being
 * read) may come from the caller too, when it read them for the same request: they are not read twice.
 *
 * What comes in is only ever joined with facts read within the caller's reach: every statement here
 * filters on the caller's organisation, so relationships an organisation role hands in reveal nothing
 * of another organisation; a member's are read again as their own rows, and any not theirs drop out.
 */
export async function loadNextStagesByRelationships(
  ctx: Ctx,
  input: { relationships: Relationship[]; programmes?: Programme[]; goals?: Goal[] | Promise<Goal[]> },
): Promise<{ relationshipId: string; moves: NextStage[] }[]> {
  authorize(ctx.actor, 'getNextStages');
  const ids = distinctIds(input.relationships.map((relationship) => relationship.id));
  const subjects: RelationshipFacts[] = seesWholeOrganisation(ctx.actor)
    ? ids.flatMap((id) => input.relationships.find((relationship) => relationship.id === id) ?? [])
    : await visibleRelationshipRows(ctx, ids);
  if (subjects.length === 0) return [];
  // Started now, awaited inside loadGuardSnapshots, so the goals load alongside the programmes.
  const goals = input.goals ?? loadGoals(ctx, { relationshipIds: subjects.map((subject) => subject.id) });
  Promise.resolve(goals).catch(() => undefined); // observed below; this only keeps an early failure from going unhandled
  const programmes: ProgrammeFacts[] = input.programmes ?? (await programmeRowsIn(ctx, [...new Set(subjects.map((subject) => subject.programmeId))]));
  const snapshots = await loadGuardSnapshots(ctx, subjects, programmes, goals);
  return subjects.flatMap((subject) => {
    const programme = programmes.find((candidate) => candidate.id === subject.programmeId);
    const snapshot = snapshots.get(subject.id);
    if (!programme || !snapshot) return [];
    return [{ relationshipId: subject.id, moves: nextStages(programme.stageModel, subject, snapshot) }];
  });
}
