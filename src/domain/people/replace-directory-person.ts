import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, conflict, notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { authorize } from '../permissions.ts';
import { DirectoryPersonInput, type DirectoryPerson } from '../schemas/directory.ts';
import { isUuid } from '../uuid.ts';
import { parseInput } from '../validate.ts';
import { directoryValues, requireUnique } from './directory-values.ts';
import { leaveRelationships } from './leave-relationships.ts';
import { revokeBearerCapabilities } from './revoke-bearer-capabilities.ts';
import { isProvisioned, presentDirectoryPerson } from './present-directory-person.ts';

/**
 * Replaces a provisioned person's directory fields (SCIM PUT, and PATCH after the transport applied
 * the operations). `active` false de-provisions: the person can no longer act, and their active
 * relationships follow each programme's setting (leaveRelationships) and their calendar feeds are
 * revoked (revokeBearerCapabilities); true again reactivates, without reviving an old feed.
 * `expectedVersion` (the ETag) makes a read-modify-write safe: a stale one is VERSION_CONFLICT.
 */
export async function replaceDirectoryPerson(
  ctx: Ctx,
  rawInput: { id: string; expectedVersion?: number; person: DirectoryPersonInput },
): Promise<DirectoryPerson> {
  authorize(ctx.actor, 'replaceDirectoryPerson');
  const input = parseInput(DirectoryPersonInput, rawInput.person);
  if (!isUuid(rawInput.id)) throw notFound('user', rawInput.id);
  return withAudit(ctx, { action: 'replaceDirectoryPerson', subjectType: 'person', subjectId: (person) => person.id }, async (tx) => {
    const [current] = await tx.db
      .select()
      .from(people)
      .where(and(eq(people.orgId, tx.actor.org), eq(people.id, rawInput.id), isNotNull(people.userName)))
      .for('update');
    if (!isProvisioned(current)) throw notFound('user', rawInput.id);
    if (rawInput.expectedVersion !== undefined && rawInput.expectedVersion !== current.version) {
      throw new DomainError('VERSION_CONFLICT', `The user is at version ${current.version}, not ${rawInput.expectedVersion}; read it again and retry.`, {
        currentVersion: current.version,
      });
    }
    await requireUnique(tx, input, current.id);
    const now = tx.clock();
    const deactivating = current.active && !input.active;
    const reactivating = !current.active && input.active;
    const [row] = await tx.db
      .update(people)
      .set({
        ...directoryValues(input, current),
        updatedAt: now,
        version: sql`${people.version} + 1`,
        ...(deactivating ? { deactivatedAt: now } : reactivating ? { deactivatedAt: null } : {}),
      })
      .where(and(eq(people.orgId, tx.actor.org), eq(people.id, current.id)))
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw conflict(`Another user already has the userName ${input.userName}.`, { reason: 'USER_NAME_TAKEN' });
        throw error;
      });
    if (!input.active) await revokeBearerCapabilities(tx, current.id);
    if (deactivating) {
      const departure = await leaveRelationships(tx, current.id);
      await recordEvent(tx, 'person.deactivated', current.id, { personId: current.id, deleted: false, ...departure });
    } else if (reactivating) {
      await recordEvent(tx, 'person.reactivated', current.id, { personId: current.id });
    }
    return presentDirectoryPerson({ ...row!, userName: input.userName });
  });
}
