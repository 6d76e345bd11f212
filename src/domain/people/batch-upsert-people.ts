import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { BatchUpsertPeopleInput } from '../schemas/person.ts';
import { parseInput } from '../validate.ts';
import { upsertMany } from './upsert-people.ts';
import { referencesAt, requireOwnPeople } from './require-own-people.ts';

export async function batchUpsertPeople(ctx: Ctx, rawInput: z.input<typeof BatchUpsertPeopleInput>) {
  authorize(ctx.actor, 'batchUpsertPeople');
  const input = parseInput(BatchUpsertPeopleInput, rawInput);
  const seen = new Set<string>();
  for (const [index, person] of input.people.entries()) {
    if (seen.has(person.externalId)) throw conflict(`externalId ${person.externalId} appears twice (people.${index}).`);
    seen.add(person.externalId);
  }
  const references = input.people.flatMap((person, index) => referencesAt(`people.${index}.preferredMentorIds`, person.preferredMentorIds));
  return withAudit(ctx, { action: 'batchUpsertPeople', subjectType: 'people', subjectId: () => null }, async (tx) => {
    await requireOwnPeople(tx, references);
    return upsertMany(tx, input.people);
  });
}
