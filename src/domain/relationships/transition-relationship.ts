import { authorize } from '../permissions.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { people, stageHistory } from '../../db/schema.ts';
import type { EventType } from '../../vocabulary.ts';
import { loadRelationship } from '../access.ts';
import { withTransaction, type Ctx } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { loadProgrammeRow } from '../programmes/read-programmes.ts';
import { TransitionInput, type Relationship } from '../schemas/relationship.ts';
import { planMove } from '../stage-models/index.ts';
import { parseInput } from '../validate.ts';
import { changeRelationship, checkExpectedVersion } from './change-relationship.ts';
import { loadGuardSnapshot } from './guard-snapshot.ts';
import { presentRelationship } from './present-relationship.ts';

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

  return withTransaction(ctx, async (tx) => {
    const { row } = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    checkExpectedVersion(row, rawInput.expectedVersion);
    const programme = await loadProgrammeRow(tx, row.programmeId);
    const snapshot = await loadGuardSnapshot(tx, row, programme);
    const plan = planMove(programme.stageModel, row, move.to, snapshot, { override: move.override === true });

    if (plan.kind === 'not_allowed') {
      const detail =
        plan.reason === 'not_active'
          ? `The relationship is ${row.status}; it cannot move any more.`
          : `No move from ${row.stage} to ${move.to}. Allowed: ${plan.allowed.join(', ') || 'none'}.`;
      throw new DomainError('TRANSITION_NOT_ALLOWED', detail, { from: row.stage, to: move.to, allowed: plan.allowed });
    }
    if (plan.kind === 'blocked') {
      throw new DomainError('TRANSITION_BLOCKED', `${row.stage} → ${move.to} is blocked: ${plan.blockers.map((b) => b.message).join(' ')}`, {
        from: row.stage,
        to: move.to,
        blockers: plan.blockers,
      });
    }

    if (move.referralMentorId) await requireReferralMentor(tx, move.referralMentorId, [row.mentorId, row.menteeId]);
    const now = tx.clock();
    const ended = plan.toStatus !== 'active';
    const updated = await changeRelationship(tx, row, {
      stage: plan.toStage,
      status: plan.toStatus,
      ...(plan.toStage !== row.stage ? { stageEnteredAt: now } : {}),
      ...(ended ? { endedAt: now } : {}),
      ...(move.referralMentorId ? { referralMentorId: move.referralMentorId } : {}),
    });
    await tx.db.insert(stageHistory).values({
      orgId: tx.actor.org,
      relationshipId: row.id,
      version: updated.version,
      fromStage: row.stage,
      toStage: plan.toStage,
      fromStatus: row.status,
      toStatus: plan.toStatus,
      actor: tx.actor.sub,
      reason: move.reason ?? null,
      override: move.override === true,
      referralMentorId: move.referralMentorId ?? null,
      at: now,
    });
    const facts = {
      relationshipId: row.id,
      programmeId: row.programmeId,
      from: row.stage,
      to: move.to,
      stage: plan.toStage,
      status: plan.toStatus,
      reason: move.reason ?? null,
      override: move.override === true,
      version: updated.version,
    };
    await recordEvent(tx, 'relationship.stage_changed', row.id, facts);
    const endEvent = END_EVENTS[plan.toStatus];
    if (endEvent) await recordEvent(tx, endEvent, row.id, { ...facts, ...(move.referralMentorId ? { referralMentorId: move.referralMentorId } : {}) });
    return presentRelationship(updated);
  });
}

async function requireReferralMentor(ctx: Ctx, personId: string, excluded: string[]): Promise<void> {
  if (excluded.includes(personId)) {
    throw invalid('The referral must be another mentor.', [{ path: 'referralMentorId', message: 'must not be the mentor or mentee of this relationship' }]);
  }
  const [person] = await ctx.db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.orgId, ctx.actor.org), eq(people.id, personId)));
  if (!person) throw notFound('person (referral)', personId);
}
