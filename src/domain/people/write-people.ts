import { authorize } from '../permissions.ts';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { people } from '../../db/schema.ts';

import { withTransaction, type Ctx } from '../context.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { conflict, notFound } from '../errors.ts';
import { ensureOrganisation } from '../organisations.ts';
import { BatchUpsertPeopleInput, CreatePersonInput, UpdatePersonInput, UpsertPersonInput, type Person } from '../schemas/person.ts';
import { parseInput } from '../validate.ts';
import { presentPerson } from './present-person.ts';

export async function createPerson(ctx: Ctx, rawInput: z.input<typeof CreatePersonInput>): Promise<Person> {
  authorize(ctx.actor, 'createPerson');
  const input = parseInput(CreatePersonInput, rawInput);
  return withTransaction(ctx, async (tx) => {
    await ensureOrganisation(tx);
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

/** HR sync: creates or replaces the person with this HRIS id. */
export async function upsertPerson(
  ctx: Ctx,
  rawInput: { externalId: string; person: z.input<typeof UpsertPersonInput> },
): Promise<{ person: Person; created: boolean }> {
  authorize(ctx.actor, 'upsertPersonByExternalId');
  const fields = parseInput(UpsertPersonInput, rawInput.person);
  const result = await upsertMany(ctx, [{ ...fields, externalId: rawInput.externalId }]);
  return { person: result.people[0]!, created: result.created === 1 };
}

export async function batchUpsertPeople(ctx: Ctx, rawInput: z.input<typeof BatchUpsertPeopleInput>) {
  authorize(ctx.actor, 'batchUpsertPeople');
  const input = parseInput(BatchUpsertPeopleInput, rawInput);
  const seen = new Set<string>();
  for (const [index, person] of input.people.entries()) {
    if (seen.has(person.externalId)) throw conflict(`externalId ${person.externalId} appears twice (people.${index}).`);
    seen.add(person.externalId);
  }
  return upsertMany(ctx, input.people);
}

type PersonWithExternalId = z.output<typeof UpsertPersonInput> & { externalId: string };

// One INSERT … ON CONFLICT for the whole batch; `xmax = 0` tells inserted rows from updated ones.
async function upsertMany(ctx: Ctx, batch: PersonWithExternalId[]) {
  return withTransaction(ctx, async (tx) => {
    await ensureOrganisation(tx);
    const now = tx.clock();
    const rows = await tx.db
      .insert(people)
      .values(batch.map((person) => ({ ...defaults, ...person, orgId: tx.actor.org, createdAt: now, updatedAt: now })))
      .onConflictDoUpdate({
        target: [people.orgId, people.externalId],
        set: {
          name: sql`excluded.name`,
          email: sql`excluded.email`,
          timezone: sql`excluded.timezone`,
          skills: sql`excluded.skills`,
          qualifications: sql`excluded.qualifications`,
          experienceSummary: sql`excluded.experience_summary`,
          capacity: sql`excluded.capacity`,
          updatedAt: now,
        },
      })
      .returning({ ...getTableColumns(people), inserted: sql<boolean>`(xmax = 0)` });
    const created = rows.filter((r) => r.inserted).length;
    return { created, updated: rows.length - created, people: rows.map(({ inserted: _, ...row }) => presentPerson(row)) };
  });
}

// An upsert replaces the whole person: fields left out return to their defaults.
const defaults = { email: null, timezone: 'UTC', skills: [], qualifications: [], experienceSummary: null, capacity: 1 };

export async function updatePerson(ctx: Ctx, input: { id: string; changes: z.input<typeof UpdatePersonInput> }): Promise<Person> {
  authorize(ctx.actor, 'updatePerson');
  const changes = parseInput(UpdatePersonInput, input.changes);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(people)
      .set({ ...changes, updatedAt: tx.clock() })
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
