import { and, count, eq } from 'drizzle-orm';
import { people, relationships } from '../../db/schema.ts';
import type { RelationshipRow } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError, conflict, invalid, notFound } from '../errors.ts';
import { startRelationship } from './start-relationship.ts';

/**
 * A decline's referral names someone who can mentor in this programme: an active person with a
 * mentor profile (skills, qualifications or experience) and capacity left. The person is locked,
 * as opening a relationship locks its mentor, so a referral and an opening cannot both take the
 * last place. With `open`, the mentee's relationship with them starts in the first stage, linked
 * to the declined one; the caller links back.
 */
export async function referOnDecline(tx: Ctx, row: RelationshipRow, input: { mentorId: string; open: boolean; start: string }): Promise<RelationshipRow | null> {
  if (input.mentorId === row.mentorId || input.mentorId === row.menteeId) {
    throw invalid('The referral must be another mentor.', [{ path: 'referralMentorId', message: 'must not be the mentor or mentee of this relationship' }]);
  }
  const [person] = await tx.db
    .select({ id: people.id, active: people.active, capacity: people.capacity, skills: people.skills, qualifications: people.qualifications, experience: people.experienceSummary })
    .from(people)
    .where(and(eq(people.orgId, tx.actor.org), eq(people.id, input.mentorId)))
    .for('update');
  if (!person) throw notFound('person (referral)', input.mentorId, 'referralMentorId');
  const hasProfile = person.skills.length > 0 || person.qualifications.length > 0 || Boolean(person.experience?.trim());
  if (!person.active || person.capacity < 1 || !hasProfile) {
    throw new DomainError('UNPROCESSABLE', 'The referral must be someone who can mentor: an active person with a mentor profile (skills, qualifications or experience) and a capacity.', {
      reason: 'REFERRAL_NOT_A_MENTOR',
      errors: [{ path: 'referralMentorId', message: 'is not someone who can mentor' }],
    });
  }
  const [load] = await tx.db
    .select({ n: count() })
    .from(relationships)
    .where(and(eq(relationships.orgId, tx.actor.org), eq(relationships.mentorId, person.id), eq(relationships.status, 'active')));
  if ((load?.n ?? 0) >= person.capacity) {
    throw new DomainError('UNPROCESSABLE', `The referred mentor already has ${load?.n ?? 0} active mentee(s), their capacity.`, {
      reason: 'REFERRAL_AT_CAPACITY',
      errors: [{ path: 'referralMentorId', message: 'has no capacity left' }],
    });
  }
  if (!input.open) return null;
  const [pairedAlready] = await tx.db
    .select({ id: relationships.id })
    .from(relationships)
    .where(and(eq(relationships.orgId, tx.actor.org), eq(relationships.programmeId, row.programmeId), eq(relationships.mentorId, person.id), eq(relationships.menteeId, row.menteeId), eq(relationships.status, 'active')));
  if (pairedAlready) throw conflict('The mentee already has an active relationship with the referred mentor in this programme.', { reason: 'DUPLICATE_RELATIONSHIP' });
  return startRelationship(tx, { programmeId: row.programmeId, mentorId: person.id, menteeId: row.menteeId, aspiration: row.aspiration, referredFromId: row.id }, input.start);
}
