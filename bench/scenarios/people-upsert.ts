import { v7 as uuidv7 } from 'uuid';
import * as s from '../ceilings/statements.ts';
import type { Scenario } from './types.ts';

const BATCH = 1000;
/** Distinct batches, more than the connections, so concurrent upserts rarely wait on the same rows. */
const BATCHES = 50;

const person = (batch: number, k: number) => ({
  externalId: `sync-${batch}-${k}`,
  name: `Synced Person ${batch}-${k}`,
  email: `sync${batch}.${k}@example.com`,
  timezone: 'Europe/Berlin',
  skills: ['planning', 'coaching'],
  capacity: 2,
});

// domain/people/upsert-people.ts: an upsert replaces the whole person, fields left out return to these defaults.
const defaults = { email: null, timezone: 'UTC', skills: [], qualifications: [], experienceSummary: null, capacity: 1 };
// …and the matching profile (issue 15), left out by this sync, to none.
const matchingDefaults = { grade: null, location: null, experience_years: null, aspiration: null, goal_focus: null, preferred_mentor_ids: [] };

/** POST /v1/people/batch with 1,000 people: an HR sync, mostly updates once every batch has run once. */
export const peopleUpsert: Scenario = {
  name: 'people-upsert',
  title: 'POST /v1/people/batch (1,000 people)',
  group: 'bulk',
  minSeconds: 20,
  async prepare(ctx) {
    const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: BATCH }, (_, k) => person(b, k)));
    const bodies = batches.map((people) => JSON.stringify({ people }));
    // The JSON document domain/people/upsert-people.ts sends (fresh ids on every send, as the app makes them).
    const recordsOf = (people: ReturnType<typeof person>[]) =>
      JSON.stringify(
        people.map((p) => {
          const full = { ...defaults, ...p };
          return { id: uuidv7(), external_id: full.externalId, name: full.name, email: full.email, timezone: full.timezone, skills: full.skills, qualifications: full.qualifications, experience_summary: full.experienceSummary, capacity: full.capacity, ...matchingDefaults };
        }),
      );
    return {
      requests: async () => {
        let i = 0;
        return () => ({ method: 'POST', path: '/v1/people/batch', body: bodies[i++ % BATCHES]! });
      },
      ceiling: (db) => {
        let i = 0;
        return () =>
          db.begin(async (tx) => {
            const records = recordsOf(batches[i++ % BATCHES]!);
            await db.run(s.ensureOrganisation, { org: ctx.org, name: ctx.org }, tx);
            const rows = await db.run(s.upsertPeople, { org: ctx.org, now: new Date().toISOString(), records }, tx);
            if (rows.length !== BATCH) throw new Error(`upserted ${rows.length} people, not ${BATCH}`);
            const audit = { id: uuidv7(), org: ctx.org, actor: 'bench-admin', clientId: null, action: 'batchUpsertPeople', subjectType: 'people', subjectId: null, at: new Date() };
            await db.run(s.insertAudit, audit, tx);
          });
      },
    };
  },
};
