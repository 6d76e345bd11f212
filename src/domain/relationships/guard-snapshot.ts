import { and, count, eq, max, sql } from 'drizzle-orm';
import { compiled, isAnyOf } from '../../db/compiled.ts';
import { reflections, sessions } from '../../db/schema.ts';
import type { Party, RelationshipStatus } from '../../vocabulary.ts';
import type { Ctx } from '../context.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { smartFailures, smartReportFor } from '../goals/smart-for-goal.ts';
import type { Goal } from '../schemas/goal.ts';
import type { GuardSnapshot, StageModel } from '../stage-models/index.ts';

// Held discovery calls only (a planned one has not happened), with the longest, for a programme's minimum length.
const discoverySessionCounts = compiled((db) =>
  db
    .select({ relationshipId: sessions.relationshipId, n: count(), longest: max(sessions.minutes) })
    .from(sessions)
    .where(
      and(
        eq(sessions.orgId, sql.placeholder('org')),
        isAnyOf(sessions.relationshipId, 'ids'),
        eq(sessions.kind, sql.placeholder('kind')),
        eq(sessions.status, sql.placeholder('status')),
      ),
    )
    .groupBy(sessions.relationshipId),
);
const closingReflectionParties = compiled((db) =>
  db
    .selectDistinct({ relationshipId: reflections.relationshipId, party: reflections.authorParty, round: reflections.round })
    .from(reflections)
    .where(and(eq(reflections.orgId, sql.placeholder('org')), isAnyOf(reflections.relationshipId, 'ids'), eq(reflections.kind, sql.placeholder('kind')))),
);

/**
 * What the guards read of a relationship: its row, or the relationship as presented (a transport
 * that has presented it hands it back as it is; nothing is turned back into a row).
 */
export interface RelationshipFacts {
  id: string;
  programmeId: string;
  stage: string;
  status: RelationshipStatus;
  round: number;
  aspiration: string | null;
  agreement: object | null;
  mentorAcceptedAt: Date | string | null;
  menteeAcceptedAt: Date | string | null;
}

/** What the guards read of a programme: its row, or the programme as presented. */
export interface ProgrammeFacts {
  id: string;
  stageModel: StageModel;
  discoveryRequired: boolean;
  discoveryMinMinutes?: number | null;
  goalHorizonMinDays: number;
  goalHorizonMaxMonths: number;
  endsOn: string | null;
}

/**
 * Gathers, from the database as it is now, every fact the guards of any move may need, for
 * any number of relationships in a fixed number of statements (one transition, or a screen
 * of a hundred). `goals`, when given, are these relationships' goals as loadGoals returns them,
 * already loaded (or being loaded) for the same request: they are used instead of loading them again.
 */
export async function loadGuardSnapshots(
  ctx: Ctx,
  rows: RelationshipFacts[],
  programmes: ProgrammeFacts[],
  goals?: Goal[] | Promise<Goal[]>,
): Promise<Map<string, GuardSnapshot>> {
  const snapshots = new Map<string, GuardSnapshot>();
  if (rows.length === 0) return snapshots;
  const org = ctx.actor.org;
  const ids = rows.map((row) => row.id);
  const [goalList, discovery, closing] = await Promise.all([
    goals ?? loadGoals(ctx, { relationshipIds: ids }),
    discoverySessionCounts(ctx.db, { org, ids, kind: 'discovery', status: 'held' }),
    closingReflectionParties(ctx.db, { org, ids, kind: 'closing' }),
  ]);
  for (const row of rows) {
    const programme = programmes.find((p) => p.id === row.programmeId);
    if (!programme) continue;
    const acceptedBy: Party[] = [];
    if (row.mentorAcceptedAt) acceptedBy.push('mentor');
    if (row.menteeAcceptedAt) acceptedBy.push('mentee');
    snapshots.set(row.id, {
      acceptedBy,
      discoveryRequired: programme.discoveryRequired,
      discoverySessionsHeld: discovery.find((d) => d.relationshipId === row.id)?.n ?? 0,
      discoveryLongestMinutes: discovery.find((d) => d.relationshipId === row.id)?.longest ?? null,
      discoveryMinMinutes: programme.discoveryMinMinutes ?? null,
      agreementSet: row.agreement !== null,
      round: row.round,
      goals: goalList
        .filter((goal) => goal.relationshipId === row.id)
        .map((goal) => ({
          id: goal.id,
          title: goal.title,
          status: goal.status,
          dueOn: goal.dueOn,
          round: goal.round,
          awaitingConfirmationBy: goal.achievement && !goal.achievement.confirmed ? (goal.achievement.marked.party === 'mentor' ? 'mentee' : 'mentor') : null,
          smartFailures: goal.status === 'agreed' ? smartFailures(smartReportFor(ctx, goal, programme, row)) : [],
          tasks: goal.tasks.map(({ id, title, dueOn }) => ({ id, title, dueOn })),
        })),
      closingReflectionsBy: [...new Set(closing.filter((c) => c.relationshipId === row.id && c.round === row.round).map((c) => c.party))],
    });
  }
  return snapshots;
}

export async function loadGuardSnapshot(ctx: Ctx, relationship: RelationshipFacts, programme: ProgrammeFacts): Promise<GuardSnapshot> {
  return (await loadGuardSnapshots(ctx, [relationship], [programme])).get(relationship.id)!;
}
