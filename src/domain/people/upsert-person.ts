import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import type { Ctx } from '../context.ts';
import { UpsertPersonInput, type Person } from '../schemas/person.ts';
import { parseInput } from '../validate.ts';
import { upsertMany } from './upsert-people.ts';
import { referencesAt, requireOwnPeople } from './require-own-people.ts';

/** HR sync: creates or replaces the person with this HRIS id. */
export async function upsertPerson(
  ctx: Ctx,
  rawInput: { externalId: string; person: z.input<typeof UpsertPersonInput> },
): Promise<{ person: Person; created: boolean }> {
  authorize(ctx.actor, 'upsertPersonByExternalId');
  const fields = parseInput(UpsertPersonInput, rawInput.person);
  const audit = { action: 'upsertPerson', subjectType: 'person', subjectId: (upserted: { people: Person[] }) => upserted.people[0]!.id };
  const result = await withAudit(ctx, audit, async (tx) => {
    await requireOwnPeople(tx, referencesAt('preferredMentorIds', fields.preferredMentorIds));
    return upsertMany(tx, [{ ...fields, externalId: rawInput.externalId }]);
  });
  return { person: result.people[0]!, created: result.created === 1 };
}
