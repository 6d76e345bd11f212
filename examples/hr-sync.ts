// HR sync: mirror the people of an HRIS export (CSV) into Tandem, keyed by the HRIS id.
//   TANDEM_CLIENT_ID=… TANDEM_CLIENT_SECRET=… npx tsx examples/hr-sync.ts examples/data/people.csv
// Run it on the full export first, then on each day's changes: rows are upserted by externalId,
// 1,000 per request (one transaction each), so a re-run is harmless. An integration client needs
// the people:write scope. POSTs carry an Idempotency-Key, so the client's retries never act twice.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { unwrap, type Body } from '@tandem/client';
import { connect } from './connect.ts';

type PersonRow = Body<'batchUpsertPeople'>['people'][number];
const BATCH = 1000;

const file = process.argv[2];
if (!file) {
  console.error('usage: hr-sync.ts FILE.csv');
  process.exit(2);
}
const tandem = connect();

/** One CSV row in the HRIS's column names, as a Tandem person. */
function toPerson(row: Record<string, string>): PersonRow {
  return {
    externalId: row.employee_id!,
    name: row.full_name!,
    email: row.work_email || null,
    timezone: row.time_zone || 'UTC',
    skills: (row.skills ?? '').split(';').map((skill) => skill.trim()).filter(Boolean),
    capacity: Number(row.mentor_capacity || 0),
  };
}

let created = 0;
let updated = 0;
let batch: PersonRow[] = [];
const flush = async () => {
  if (batch.length === 0) return;
  const result = await unwrap(tandem.POST('/v1/people/batch', { body: { people: batch } }));
  created += result.created;
  updated += result.updated;
  batch = [];
};
for await (const row of createReadStream(file).pipe(parse({ columns: true, trim: true, skip_empty_lines: true }))) {
  batch.push(toPerson(row as Record<string, string>));
  if (batch.length === BATCH) await flush();
}
await flush();
console.log(`synced ${file}: ${created} created, ${updated} updated`);
