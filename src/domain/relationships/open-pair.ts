import { and, count, eq, inArray, or } from 'drizzle-orm';
import { people, relationships } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { DomainError, conflict, notFound } from '../errors.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import type { OpenRelationshipInput, Relationship } from '../schemas/relationship.ts';
import { presentRelationship } from './present-relationship.ts';
import { startRelationship } from './start-relationship.ts';

/**
 * Opens one relationship in the caller's transaction, after the checks every opening makes: the
 * programme not ended, both people here and active, the mentor under capacity, no duplicate.
 * openRelationship runs it alone; accepting a matching run runs it once per accepted pair.
 */
export async function openPair(tx: Ctx, input: OpenRelationshipInput): Promise<Relationship> {
    const programme = await loadProgrammeRow(tx, input.programmeId, { lock: 'key share' });
    const today = tx.clock().toISOString().slice(0, 10);
    if (programme.endsOn && programme.endsOn < today) {
      throw new DomainError('UNPROCESSABLE', `The programme ended on ${programme.endsOn}.`);
    }
    // Locking the mentor serialises concurrent openings, so capacity cannot be overrun.
    const pair = await tx.db
      .select({ id: people.id, capacity: people.capacity, active: people.active })
      .from(people)
      .where(and(eq(people.orgId, tx.actor.org), inArray(people.id, [input.mentorId, input.menteeId])))
      .for('update');
    const mentor = pair.find((p) => p.id === input.mentorId);
    if (!mentor) throw notFound('person (mentor)', input.mentorId, 'mentorId');
    if (!pair.some((p) => p.id === input.menteeId)) throw notFound('person (mentee)', input.menteeId, 'menteeId');
    if (pair.some((p) => !p.active)) throw conflict('A de-provisioned person cannot be paired.', { reason: 'PERSON_INACTIVE' });

    const active = await tx.db
      .select({ mentorId: relationships.mentorId, menteeId: relationships.menteeId, programmeId: relationships.programmeId, n: count() })
      .from(relationships)
      .where(and(eq(relationships.orgId, tx.actor.org), eq(relationships.status, 'active'), or(eq(relationships.mentorId, input.mentorId), eq(relationships.menteeId, input.menteeId))))
      .groupBy(relationships.mentorId, relationships.menteeId, relationships.programmeId);
    const mentoring = active.filter((r) => r.mentorId === input.mentorId).reduce((sum, r) => sum + r.n, 0);
    if (mentoring >= mentor.capacity) {
      throw conflict(`The mentor already has ${mentoring} active mentee(s), their capacity.`, { reason: 'MENTOR_AT_CAPACITY' });
    }
    if (active.some((r) => r.mentorId === input.mentorId && r.menteeId === input.menteeId && r.programmeId === input.programmeId)) {
      throw conflict('These two already have an active relationship in this programme.', { reason: 'DUPLICATE_RELATIONSHIP' });
    }

    const opened = await startRelationship(tx, input, programme.stageModel.start);
    return presentRelationship(opened);
}
