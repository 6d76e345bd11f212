import { readFile } from 'node:fs/promises';
import t from 'tap';
import { eventTypeCatalogue } from '../../src/webhooks/event-catalogue.ts';

// An event's `data` only grows: a field the last release sent is never removed, renamed or
// retyped, and no event type disappears. event-schemas.json is the catalogue as the last release
// published it (`npm run contract:events` records it, deliberately, when a release ships).
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; enum?: unknown[]; const?: unknown; required?: string[] };

const released = JSON.parse(await readFile(new URL('./event-schemas.json', import.meta.url), 'utf8')) as Record<string, Schema>;
const current = Object.fromEntries(eventTypeCatalogue().map((entry) => [entry.type, entry.schema as Schema]));

const typesOf = (schema: Schema): string[] => [schema.type ?? [], ...(schema.anyOf ?? []).map(typesOf)].flat(2).sort();

/** What `now` breaks of what `then` promised, as paths: a field gone, a type changed, an enum value gone, a field no longer always sent. */
function breaks(then: Schema, now: Schema | undefined, path: string): string[] {
  if (now === undefined) return [`${path}: removed`];
  const problems: string[] = [];
  const [before, after] = [typesOf(then), typesOf(now)];
  if (before.some((type) => !after.includes(type))) problems.push(`${path}: type ${before.join('|')} became ${after.join('|')}`);
  if (then.const !== undefined && then.const !== now.const) problems.push(`${path}: constant changed`);
  if (then.enum && (!now.enum || then.enum.some((value) => !now.enum!.includes(value)))) problems.push(`${path}: enum lost values`);
  for (const field of then.required ?? []) if (!(now.required ?? []).includes(field)) problems.push(`${path}.${field}: no longer always sent`);
  for (const [field, schema] of Object.entries(then.properties ?? {})) problems.push(...breaks(schema, now.properties?.[field], `${path}.${field}`));
  if (then.items) problems.push(...breaks(then.items, now.items, `${path}[]`));
  const objectsOf = (schema: Schema) => (schema.anyOf ?? []).filter((s) => s.properties);
  for (const [i, option] of objectsOf(then).entries()) problems.push(...breaks(option, objectsOf(now)[i], `${path}|${i}`));
  return problems;
}

t.test('every event type of the last release is still sent, with every field it had', async (t) => {
  for (const [type, schema] of Object.entries(released)) {
    t.same(breaks(schema, current[type], type), [], `${type}: nothing removed or renamed`);
  }
});

t.test('the check fails on a removed, a renamed or a retyped field, and lets an added one pass', async (t) => {
  const then: Schema = { type: 'object', required: ['data'], properties: { data: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'number' } } } } };
  const data = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({ type: 'object', required: ['data'], properties: { data: { type: 'object', required, properties } } });
  t.same(breaks(then, data({ a: { type: 'string' }, b: { type: 'number' }, c: { type: 'string' } }), 'x'), [], 'an added field passes');
  t.same(breaks(then, data({ a: { type: 'string' } }), 'x'), ['x.data.b: no longer always sent', 'x.data.b: removed'], 'a removed field fails');
  t.same(breaks(then, data({ a: { type: 'string' }, bee: { type: 'number' } }), 'x'), ['x.data.b: no longer always sent', 'x.data.b: removed'], 'a renamed one too');
  t.same(breaks(then, data({ a: { type: 'string' }, b: { type: 'string' } }), 'x'), ['x.data.b: type number became string'], 'and a retyped one');
  t.same(breaks(then, undefined, 'x'), ['x: removed'], 'and a removed event type');
});
