import type { z } from 'zod';
import { sessions } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { authorize } from '../permissions.ts';
import { presentSession } from '../activity/present-session.ts';
import { loadProgrammeOfRelationship } from '../programmes/load-programme.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { PlanSessionInput, type Session } from '../schemas/activity.ts';
import { parseInput } from '../validate.ts';
import { plannedInPast } from './session-states.ts';
import { sessionError } from './scoped-session.ts';

const REGULAR_MINUTES = 60;

/**
 * Plans a meeting: when, how long, the agenda. Either party may plan; the discovery call (seed
 * 000: "mentees can schedule a free 20-minute discovery call") is planned in the model's first
 * stage, its length defaulting to the programme's discovery-call length.
 */
export async function planSession(ctx: Ctx, rawInput: { relationshipId: string; session: z.input<typeof PlanSessionInput> }): Promise<Session> {
  authorize(ctx.actor, 'planSession');
  const input = parseInput(PlanSessionInput, rawInput.session);
  const plannedAt = new Date(input.plannedAt);
  const past = plannedInPast(plannedAt, ctx.clock());
  if (past) throw sessionError(past);
  return withAudit(ctx, { action: 'planSession', subjectType: 'session', subjectId: (session) => session.id }, async (tx) => {
    const [{ row }, programme] = await Promise.all([
      loadRelationship(tx, rawInput.relationshipId, { lock: true }),
      loadProgrammeOfRelationship(tx, rawInput.relationshipId),
    ]);
    if (!programme) throw notFound('relationship', rawInput.relationshipId);
    requireActive(row, 'plan sessions');
    if (input.kind === 'discovery' && row.stage !== programme.stageModel.start) {
      throw conflict(`A discovery call belongs to the first stage (${programme.stageModel.start}); the relationship is in ${row.stage}.`, { stage: row.stage });
    }
    const plannedMinutes = input.minutes ?? (input.kind === 'discovery' ? programme.discoveryMinutes : REGULAR_MINUTES);
    const [session] = await tx.db
      .insert(sessions)
      .values({
        orgId: tx.actor.org,
        relationshipId: row.id,
        kind: input.kind,
        status: 'planned',
        plannedAt,
        plannedMinutes,
        agenda: input.agenda ?? null,
        loggedBy: tx.actor.sub,
        createdAt: tx.clock(),
      })
      .returning();
    await Promise.all([
      recordEvent(tx, 'session.planned', session!.id, {
        relationshipId: row.id,
        sessionId: session!.id,
        kind: input.kind,
        status: 'planned',
        plannedAt: plannedAt.toISOString(),
        plannedMinutes,
        version: row.version,
      }),
      touchActivity(tx, row),
    ]);
    return presentSession(session!);
  });
}
