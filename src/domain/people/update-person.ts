import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { conflict, notFound } from '../errors.ts';
import { UpdatePersonInput, type Person } from '../schemas/person.ts';
import { parseInput } from '../validate.ts';
import { presentPerson } from './present-person.ts';
import { referencesAt, requireOwnPeople } from './require-own-people.ts';

export async function updatePerson(ctx: Ctx, input: { id: string; changes: z.input<typeof UpdatePersonInput> }): Promise<Person> {
  authorize(ctx.actor, 'updatePerson');
  const changes = parseInput(UpdatePersonInput, input.changes);
  return withAudit(ctx, { action: 'updatePerson', subjectType: 'person', subjectId: (person) => person.id }, async (tx) => {
    await requireOwnPeople(tx, referencesAt('preferredMentorIds', changes.preferredMentorIds));
    const [row] = await tx.db
      .update(people)
      .set({ ...changes, updatedAt: tx.clock(), version: sql`${people.version} + 1` })
      .where(and(eq(people.orgId, tx.actor.org), eq(people.id, input.id)))
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw conflict(`Another person already has externalId ${changes.externalId}.`);
        throw error;
      });
    if (!row) throw notFound('person', input.id);
    return presentPerson(row);
  });
}
