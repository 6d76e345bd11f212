import { and, count, eq } from 'drizzle-orm';
import { reflections, sessions } from '../../db/schema.ts';
import type { Party } from '../../vocabulary.ts';
import type { RelationshipRow } from '../access.ts';
import type { Ctx } from '../context.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { smartFailures, smartReportFor } from '../goals/smart-for-goal.ts';
import type { ProgrammeRow } from '../programmes/present-programme.ts';
import type { GuardSnapshot } from '../stage-models/index.ts';

/** Gathers, from the database as it is now, every fact the guards of any move may need. */
export async function loadGuardSnapshot(ctx: Ctx, relationship: RelationshipRow, programme: ProgrammeRow): Promise<GuardSnapshot> {
  const [goalList, discovery, closing] = await Promise.all([
    loadGoals(ctx, { relationshipIds: [relationship.id] }),
    ctx.db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.orgId, relationship.orgId), eq(sessions.relationshipId, relationship.id), eq(sessions.kind, 'discovery'))),
    ctx.db
      .selectDistinct({ party: reflections.authorParty })
      .from(reflections)
      .where(and(eq(reflections.orgId, relationship.orgId), eq(reflections.relationshipId, relationship.id), eq(reflections.kind, 'closing'))),
  ]);
  const acceptedBy: Party[] = [];
  if (relationship.mentorAcceptedAt) acceptedBy.push('mentor');
  if (relationship.menteeAcceptedAt) acceptedBy.push('mentee');
  return {
    acceptedBy,
    discoveryRequired: programme.discoveryRequired,
    discoverySessionsHeld: discovery[0]?.n ?? 0,
    agreementSet: relationship.agreement !== null,
    goals: goalList.map((goal) => ({
      id: goal.id,
      title: goal.title,
      status: goal.status,
      dueOn: goal.dueOn,
      smartFailures: goal.status === 'agreed' ? smartFailures(smartReportFor(ctx, goal, programme, relationship)) : [],
      tasks: goal.tasks.map(({ id, title, dueOn }) => ({ id, title, dueOn })),
    })),
    closingReflectionsBy: closing.map((r) => r.party),
  };
}
