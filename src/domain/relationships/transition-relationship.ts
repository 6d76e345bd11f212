import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { compiled } from '../../db/compiled.ts';
import type { z } from 'zod';
import { stageHistory } from '../../db/schema.ts';
import type { EventType } from '../../vocabulary.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { recordEvents } from '../events/record-event.ts';
import { loadProgrammeOfRelationship } from '../programmes/load-programme.ts';
import { TransitionInput, type Relationship } from '../schemas/relationship.ts';
import { moveDirection } from '../stage-models/direction.ts';
import { guardsOfMove, planMove } from '../stage-models/index.ts';
import { parseInput } from '../validate.ts';
import { changeRelationship, checkExpectedVersion, relationshipEnded } from './change-relationship.ts';
import { loadGuardSnapshot } from './guard-snapshot.ts';
import { presentRelationship } from './present-relationship.ts';
import { referOnDecline } from './refer-on-decline.ts';

type HistoryRow = Required<Omit<typeof stageHistory.$inferInsert, 'id'>> & { id: string };
const HISTORY_COLUMNS = ['id', 'orgId', 'relationshipId', 'version', 'fromStage', 'toStage', 'fromStatus', 'toStatus', 'actor', 'reason', 'override', 'referralMentorId', 'round', 'at'] as const;
const insertHistory = compiled<unknown, HistoryRow>((db) =>
  db.insert(stageHistory).values(Object.fromEntries(HISTORY_COLUMNS.map((column) => [column, sql.placeholder(column)])) as unknown as HistoryRow),
);

const END_EVENTS: Record<string, EventType> = {
  completed: 'relationship.completed',
  declined: 'relationship.declined',
  withdrawn: 'relationship.withdrawn',
};

/**
 * Moves a relationship: the move must be in the model, every guard must hold (or an admin
 * overrides with a reason), and the change, its history row and its events commit together.
 */
export async function transitionRelationship(
  ctx: Ctx,
  rawInput: { relationshipId: string; expectedVersion?: number; move: z.input<typeof TransitionInput> },
): Promise<Relationship> {
  authorize(ctx.actor, 'transitionRelationship');
  const move = parseInput(TransitionInput, rawInput.move);
  if (move.override) authorize(ctx.actor, 'overrideGuards');
  if (move.override && !move.reason?.trim()) throw invalid('An override needs a reason.', [{ path: 'reason', message: 'is required with override' }]);
  if (move.to === 'withdrawn' && !move.reason?.trim()) throw invalid('Withdrawing needs a reason.', [{ path: 'reason', message: 'is required to withdraw' }]);
  if (move.referralMentorId && move.to !== 'declined') {
    throw invalid('A referral only goes with declining.', [{ path: 'referralMentorId', message: 'only when to is declined' }]);
  }
  if (move.openReferral && !move.referralMentorId) {
    throw invalid('Opening a referral needs the referred mentor.', [{ path: 'openReferral', message: 'only with referralMentorId' }]);
  }

  return withAudit(ctx, { action: 'transitionRelationship', subjectType: 'relationship', subjectId: (relationship) => relationship.id }, async (tx) => {
    // Round trips while the row is locked are what a busy relationship waits on: statements that
    // do not depend on each other go out together.
    const [{ row }, programme] = await Promise.all([
      loadRelationship(tx, rawInput.relationshipId, { lock: true }),
      loadProgrammeOfRelationship(tx, rawInput.relationshipId),
    ]);
    if (!programme) throw notFound('relationship', rawInput.relationshipId);
    checkExpectedVersion(row, rawInput.expectedVersion);
    const options = { override: move.override === true };
    const needsFacts = guardsOfMove(programme.stageModel, row, move.to, options).length > 0;
    const snapshot = needsFacts ? await loadGuardSnapshot(tx, row, programme) : null;
    const plan = planMove(programme.stageModel, row, move.to, snapshot, options);

    if (plan.kind === 'not_allowed') {
      if (plan.reason === 'not_active') throw relationshipEnded(row, 'move it', { from: row.stage, to: move.to, allowed: [] });
      const detail = `No move from ${row.stage} to ${move.to}. Allowed: ${plan.allowed.join(', ') || 'none'}.`;
      throw new DomainError('TRANSITION_NOT_ALLOWED', detail, { from: row.stage, to: move.to, allowed: plan.allowed });
    }
    if (plan.kind === 'blocked') {
      throw new DomainError('TRANSITION_BLOCKED', `${row.stage} → ${move.to} is blocked: ${plan.blockers.map((b) => b.message).join(' ')}`, {
        from: row.stage,
        to: move.to,
        blockers: plan.blockers,
      });
    }

    const referred = move.referralMentorId
      ? await referOnDecline(tx, row, { mentorId: move.referralMentorId, open: move.openReferral === true, start: programme.stageModel.start })
      : null;
    const now = tx.clock();
    const ended = plan.toStatus !== 'active';
    // The UPDATE only matches the version read under the lock, so the new version is known now
    // and the history row and events can travel with it; if it matched nothing, the throw rolls
    // them back.
    const version = row.version + 1;
    const direction = moveDirection(programme.stageModel, row.stage, plan.toStage, plan.toStatus);
    // A move back to an earlier stage (a loop) opens the next round: its guards ask for new goals and reflections.
    const round = direction === 'back' ? row.round + 1 : row.round;
    const facts = {
      relationshipId: row.id,
      programmeId: row.programmeId,
      from: row.stage,
      to: move.to,
      stage: plan.toStage,
      status: plan.toStatus,
      reason: move.reason ?? null,
      override: move.override === true,
      round,
      version,
      direction,
    };
    const endEvent = END_EVENTS[plan.toStatus];
    const [updated] = await Promise.all([
      changeRelationship(tx, row, {
        stage: plan.toStage,
        status: plan.toStatus,
        ...(plan.toStage !== row.stage ? { stageEnteredAt: now } : {}),
        ...(round !== row.round ? { round } : {}),
        ...(ended ? { endedAt: now } : {}),
        ...(move.referralMentorId ? { referralMentorId: move.referralMentorId } : {}),
        ...(plan.toStatus === 'declined' ? { declineReason: declineReason(move.reason) } : {}),
        ...(referred ? { referredToId: referred.id } : {}),
      }),
      insertHistory(tx.db, {
        id: uuidv7(),
        orgId: tx.actor.org,
        relationshipId: row.id,
        version,
        fromStage: row.stage,
        toStage: plan.toStage,
        fromStatus: row.status,
        toStatus: plan.toStatus,
        actor: tx.actor.sub,
        reason: move.reason ?? null,
        override: move.override === true,
        referralMentorId: move.referralMentorId ?? null,
        round,
        at: now,
      }),
      recordEvents(tx, [
        { type: 'relationship.stage_changed', subjectId: row.id, data: facts },
        ...(endEvent ? [{ type: endEvent, subjectId: row.id, data: { ...facts, ...endFacts(plan.toStatus, move, referred?.id) } }] : []),
      ]),
    ]);
    return presentRelationship(updated);
  });
}

const declineReason = (reason: string | undefined): string | null => reason?.trim() || null;

/** What an end event adds to the move's facts: a decline's reason and referral. */
function endFacts(status: string, move: TransitionInput, referredToId: string | undefined): Record<string, unknown> {
  if (status !== 'declined') return {};
  return {
    declineReason: declineReason(move.reason),
    ...(move.referralMentorId ? { referralMentorId: move.referralMentorId } : {}),
    ...(referredToId ? { referredToId } : {}),
  };
}
