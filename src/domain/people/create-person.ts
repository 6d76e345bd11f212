import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { ensureOrganisation } from '../organisations.ts';
import { CreatePersonInput, type Person } from '../schemas/person.ts';
import { parseInput } from '../validate.ts';
import { presentPerson } from './present-person.ts';
import { referencesAt, requireOwnPeople } from './require-own-people.ts';

export async function createPerson(ctx: Ctx, rawInput: z.input<typeof CreatePersonInput>): Promise<Person> {
  authorize(ctx.actor, 'createPerson');
  const input = parseInput(CreatePersonInput, rawInput);
  return withAudit(ctx, { action: 'createPerson', subjectType: 'person', subjectId: (person) => person.id }, async (tx) => {
    await ensureOrganisation(tx);
    await requireOwnPeople(tx, referencesAt('preferredMentorIds', input.preferredMentorIds));
    const now = tx.clock();
    const [row] = await tx.db
      .insert(people)
      .values({ ...input, orgId: tx.actor.org, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict(`A person with externalId ${input.externalId} already exists; use PUT /v1/people/external/{externalId} to update.`);
    return presentPerson(row);
  });
}
