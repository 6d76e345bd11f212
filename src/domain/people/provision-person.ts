import { and, eq, sql } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { ensureOrganisation } from '../organisations.ts';
import { authorize } from '../permissions.ts';
import { DirectoryPersonInput, type DirectoryPerson } from '../schemas/directory.ts';
import { parseInput } from '../validate.ts';
import { directoryValues, requireUnique } from './directory-values.ts';
import { leaveRelationships } from './leave-relationships.ts';
import { revokeBearerCapabilities } from './revoke-bearer-capabilities.ts';
import { presentDirectoryPerson } from './present-directory-person.ts';

/**
 * An identity provider provisions a person (SCIM POST /Users). A person the REST HR sync already
 * holds under the same externalId, not yet provisioned, is adopted rather than duplicated: SCIM
 * and the REST sync are one people domain.
 */
export async function provisionPerson(ctx: Ctx, rawInput: DirectoryPersonInput): Promise<{ person: DirectoryPerson; created: boolean }> {
  authorize(ctx.actor, 'provisionPerson');
  const input = parseInput(DirectoryPersonInput, rawInput);
  const audit = { action: 'provisionPerson', subjectType: 'person', subjectId: (result: { person: DirectoryPerson }) => result.person.id };
  return withAudit(ctx, audit, async (tx) => {
    await ensureOrganisation(tx);
    const adoptable = await requireUnique(tx, input);
    const now = tx.clock();
    const values = { ...directoryValues(input, adoptable), updatedAt: now, deactivatedAt: input.active ? null : now };
    const [row] = await (
      adoptable
        ? tx.db
            .update(people)
            .set({ ...values, version: sql`${people.version} + 1`, ...(adoptable.active === input.active ? { deactivatedAt: adoptable.deactivatedAt } : {}) })
            .where(and(eq(people.orgId, tx.actor.org), eq(people.id, adoptable.id)))
            .returning()
        : tx.db
            .insert(people)
            .values({ ...values, orgId: tx.actor.org, createdAt: now })
            .returning()
    ).catch((error: unknown) => {
      if (isUniqueViolation(error)) throw conflict(`Another user already has the userName ${input.userName} or the externalId ${input.externalId}.`, { reason: 'USER_NAME_TAKEN' });
      throw error;
    });
    const person = row!;
    // An adopted person provisioned inactive has left: nothing of theirs keeps a key.
    if (adoptable && !input.active) await revokeBearerCapabilities(tx, person.id);
    if (adoptable?.active && !input.active) {
      const departure = await leaveRelationships(tx, person.id);
      await recordEvent(tx, 'person.deactivated', person.id, { personId: person.id, deleted: false, ...departure });
    } else if (adoptable && !adoptable.active && input.active) {
      await recordEvent(tx, 'person.reactivated', person.id, { personId: person.id });
    }
    return { person: presentDirectoryPerson({ ...person, userName: input.userName }), created: !adoptable };
  });
}
