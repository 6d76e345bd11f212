import { getTableColumns, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { compiledIsoRows, param } from '../../db/compiled.ts';
import { people } from '../../db/schema.ts';
import { withTransaction, type Ctx } from '../context.ts';
import { ensureOrganisation } from '../organisations.ts';
import { UpsertPersonInput } from '../schemas/person.ts';
import { presentPerson } from './present-person.ts';

type PersonWithExternalId = z.output<typeof UpsertPersonInput> & { externalId: string };

/** People a statement upserts at most: a batch of 1,000 is five statements, in lock order. */
const CHUNK = 200;

/**
 * One INSERT … ON CONFLICT per 200 people of the batch, its rows sent as one JSON document
 * (`jsonb_to_recordset`) rather than twelve parameters a person: the statement text is the same
 * for every batch, so it is prepared once, and building it costs nothing per row
 * (bench/FINDINGS.md). `xmax = 0` tells inserted rows from updated ones.
 */
export async function upsertMany(ctx: Ctx, batch: PersonWithExternalId[]) {
  return withTransaction(ctx, async (tx) => {
    await ensureOrganisation(tx);
    const now = tx.clock().toISOString();
    const records = batch.map((person) => ({
      id: uuidv7(),
      external_id: person.externalId,
      name: person.name,
      email: person.email ?? defaults.email,
      timezone: person.timezone ?? defaults.timezone,
      skills: person.skills ?? defaults.skills,
      qualifications: person.qualifications ?? defaults.qualifications,
      experience_summary: person.experienceSummary ?? defaults.experienceSummary,
      capacity: person.capacity ?? defaults.capacity,
      grade: person.grade ?? null,
      location: person.location ?? null,
      experience_years: person.experienceYears ?? null,
      aspiration: person.aspiration ?? null,
      goal_focus: person.goalFocus ?? null,
      preferred_mentor_ids: person.preferredMentorIds ?? [],
    }));
    // Rows are locked in externalId order, whatever order the caller sent: two batches over the
    // same people then wait for each other instead of deadlocking. The answer keeps the caller's order.
    const inLockOrder = records.toSorted((a, b) => (a.external_id < b.external_id ? -1 : a.external_id > b.external_id ? 1 : 0));
    const rows: Awaited<ReturnType<typeof upsert>> = [];
    for (let start = 0; start < inLockOrder.length; start += CHUNK) {
      // Between statements the process answers others: on PGlite a statement runs on this very
      // thread, and 1,000 people in one held /health for 650 ms (test/faults/expensive-inputs.test.ts).
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      rows.push(...(await upsert(tx.db, { org: tx.actor.org, now, records: JSON.stringify(inLockOrder.slice(start, start + CHUNK)) })));
    }
    const byExternalId = new Map(rows.map((row) => [row.externalId, row]));
    const inCallerOrder = records.map((record) => byExternalId.get(record.external_id)!);
    const created = rows.filter((r) => r.inserted).length;
    return { created, updated: rows.length - created, people: inCallerOrder.map(({ inserted: _, ...row }) => presentPerson(row)) };
  });
}

/**
 * An upsert replaces the person with the same HRIS id (the batch's row wins, field by field). The
 * directory fields (userName, active, enterprise attributes) belong to SCIM and stay as they are.
 */
export const replaceByExternalId = {
  target: [people.orgId, people.externalId],
  set: {
    name: sql`excluded.name`,
    email: sql`excluded.email`,
    timezone: sql`excluded.timezone`,
    skills: sql`excluded.skills`,
    qualifications: sql`excluded.qualifications`,
    experienceSummary: sql`excluded.experience_summary`,
    capacity: sql`excluded.capacity`,
    grade: sql`excluded.grade`,
    location: sql`excluded.location`,
    experienceYears: sql`excluded.experience_years`,
    aspiration: sql`excluded.aspiration`,
    goalFocus: sql`excluded.goal_focus`,
    preferredMentorIds: sql`excluded.preferred_mentor_ids`,
    updatedAt: sql`excluded.updated_at`,
    version: sql`${people.version} + 1`,
  },
};

/** Every column of the upserted people, and whether each was inserted (`xmax = 0`) or updated. */
export const upsertedPeople = { ...getTableColumns(people), inserted: sql<boolean>`(xmax = 0)` };

// Rows go straight to presentPerson: timestamps as ISO text, no Date a row (compiledIsoRows).
const upsert = compiledIsoRows((db) =>
  db
    .insert(people)
    .select(peopleFromJson(param('org'), param('now'), param('records')))
    .onConflictDoUpdate(replaceByExternalId)
    .returning(upsertedPeople),
);

/** The people table's columns, in its order, from a JSON array of records (see upsertMany). */
export const peopleFromJson = (org: string, now: string, records: string) => sql`
  select x.id, ${org}::text, x.external_id, x.name, x.email, x.timezone, x.skills, x.qualifications, x.experience_summary, x.capacity, ${now}::timestamptz, ${now}::timestamptz,
    null, true, null, null, null, null, null, '{}'::jsonb, 1, null::timestamptz, null::timestamptz,
    x.grade, x.location, x.experience_years, x.aspiration, x.goal_focus, x.preferred_mentor_ids
  from jsonb_to_recordset(${records}::text::jsonb) as x(id uuid, external_id text, name text, email text, timezone text, skills jsonb, qualifications jsonb, experience_summary text, capacity integer,
    grade integer, location text, experience_years integer, aspiration text, goal_focus text, preferred_mentor_ids jsonb)`;

// An upsert replaces the whole person: fields left out return to their defaults.
const defaults = { email: null, timezone: 'UTC', skills: [], qualifications: [], experienceSummary: null, capacity: 1 };
