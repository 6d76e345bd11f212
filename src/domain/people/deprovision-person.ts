import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { authorize } from '../permissions.ts';
import { isUuid } from '../uuid.ts';
import { leaveRelationships } from './leave-relationships.ts';
import { revokeBearerCapabilities } from './revoke-bearer-capabilities.ts';

/**
 * The identity provider deletes a user (SCIM DELETE /Users/{id}). The person cannot be removed:
 * relationships, history and reports keep referring to them. They are de-provisioned (inactive,
 * their active relationships follow each programme's setting) and unlinked from the directory
 * (userName cleared, so SCIM answers 404 and the userName is free again); their calendar feeds are
 * revoked (revokeBearerCapabilities). Their externalId stays,
 * so a later provisioning with the same externalId adopts the same person and their history.
 */
export async function deprovisionPerson(ctx: Ctx, input: { id: string }): Promise<{ id: string }> {
  authorize(ctx.actor, 'deprovisionPerson');
  if (!isUuid(input.id)) throw notFound('user', input.id);
  return withAudit(ctx, { action: 'deprovisionPerson', subjectType: 'person', subjectId: (person) => person.id }, async (tx) => {
    const [current] = await tx.db
      .select({ id: people.id, active: people.active })
      .from(people)
      .where(and(eq(people.orgId, tx.actor.org), eq(people.id, input.id), isNotNull(people.userName)))
      .for('update');
    if (!current) throw notFound('user', input.id);
    const now = tx.clock();
    await tx.db
      .update(people)
      .set({ userName: null, active: false, updatedAt: now, version: sql`${people.version} + 1`, ...(current.active ? { deactivatedAt: now } : {}) })
      .where(and(eq(people.orgId, tx.actor.org), eq(people.id, current.id)));
    await revokeBearerCapabilities(tx, current.id);
    const departure = current.active ? await leaveRelationships(tx, current.id) : { withdrawn: [], kept: [] };
    await recordEvent(tx, 'person.deactivated', current.id, { personId: current.id, deleted: true, ...departure });
    return { id: current.id };
  });
}
