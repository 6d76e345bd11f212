import { and, eq, or } from 'drizzle-orm';
import { programmes, relationships } from '../../db/schema.ts';
import type { Actor, Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { transitionRelationship } from '../relationships/transition-relationship.ts';

export const LEFT_THE_ORGANISATION = 'left the organisation';

export interface Departure {
  /** Relationships withdrawn because their programme withdraws them. */
  withdrawn: string[];
  /** Relationships kept active and flagged (`relationship.party_deactivated`). */
  kept: string[];
}

/**
 * What a de-provisioned person's active relationships become, by each programme's
 * `onPersonDeactivated`: withdrawn with the reason "left the organisation" (a transition like any
 * other: history row, events, audit), or kept and flagged by an event. Runs in the caller's
 * transaction. The withdrawals run with the integration role's whole rights under the caller's own
 * `sub` and client id: a directory client (scope `scim`) may end the person's relationships by
 * de-provisioning them, though it holds no relationships scope.
 */
export async function leaveRelationships(tx: Ctx, personId: string): Promise<Departure> {
  const active = await tx.db
    .select({ id: relationships.id, version: relationships.version, programmeId: relationships.programmeId, mentorId: relationships.mentorId, policy: programmes.onPersonDeactivated })
    .from(relationships)
    .innerJoin(programmes, eq(programmes.id, relationships.programmeId))
    .where(
      and(
        eq(relationships.orgId, tx.actor.org),
        eq(relationships.status, 'active'),
        or(eq(relationships.mentorId, personId), eq(relationships.menteeId, personId)),
      ),
    )
    .orderBy(relationships.id);
  const { scopes: _scopes, ...caller } = tx.actor;
  const directory: Ctx = { ...tx, actor: { ...caller, roles: ['integration'] } satisfies Actor };
  const departure: Departure = { withdrawn: [], kept: [] };
  for (const relationship of active) {
    if (relationship.policy === 'withdraw') {
      await transitionRelationship(directory, { relationshipId: relationship.id, move: { to: 'withdrawn', reason: LEFT_THE_ORGANISATION } });
      departure.withdrawn.push(relationship.id);
    } else {
      await recordEvent(tx, 'relationship.party_deactivated', relationship.id, {
        relationshipId: relationship.id,
        programmeId: relationship.programmeId,
        personId,
        party: relationship.mentorId === personId ? 'mentor' : 'mentee',
        // The flag changes nothing on the relationship: the version it stands at.
        version: relationship.version,
      });
      departure.kept.push(relationship.id);
    }
  }
  return departure;
}
