import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import type { Actor } from '../../src/domain/context.ts';
import { createServices } from '../../src/domain/services.ts';
import { BUILT_IN_MODELS } from '../../src/domain/stage-models/index.ts';
import { freshDatabase } from '../helpers/database.ts';
import { RUN_TYPESCRIPT } from '../helpers/typescript-child.ts';

// `npm run demo` as a user runs it: the real script in a child process, on a brand-new PGlite
// data directory (or, with TEST_DATABASE_URL, a brand-new PostgreSQL database), twice.
const root = new URL('../..', import.meta.url).pathname;
const TABLES = ['programmes', 'people', 'relationships', 'goals', 'goal_metrics', 'milestones', 'tasks', 'sessions', 'reflections', 'stage_history', 'outbox_events', 'audit_events'];

function runDemo(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'scripts/demo.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development', DATABASE_URL: '', DEMO_ORG: 'demo', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

/** Every row of an organisation, fingerprinted table by table: any change shows. */
async function fingerprint(database: DatabaseHandle, org: string): Promise<Record<string, string>> {
  const parts = TABLES.map((table) => `(select count(*) || ':' || coalesce(md5(string_agg(x::text, ',' order by x.id)), '') from ${table} x where x.org_id = '${org}') as ${table}`);
  const [row] = await database.rows<Record<string, string>>(sql.raw(`select ${parts.join(', ')}`));
  return row!;
}

const postgres = process.env.TEST_DATABASE_URL;
let target: { env: Record<string, string>; open: () => Promise<DatabaseHandle>; done: () => Promise<void> };
if (postgres) {
  const { database, drop, url } = await freshDatabase();
  target = { env: { DATABASE_URL: url! }, open: async () => database, done: drop };
} else {
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-demo-'));
  target = {
    env: { DATA_DIR: dataDir },
    open: async () => {
      const database = await openDatabase({ kind: 'pglite', dataDir });
      await database.migrate();
      return database;
    },
    done: () => rm(dataDir, { recursive: true, force: true }),
  };
}
t.teardown(() => target.done());

// Another organisation's data, written before the demo runs.
const neighbour: Actor = { sub: 'neighbour-admin', org: 'neighbour', roles: ['admin'] };
let database = await target.open();
const neighbourServices = createServices({ db: database.db, clock: () => new Date() });
await neighbourServices.createProgramme(neighbour, { name: 'Leadership Pathway 2026' });
await neighbourServices.createPerson(neighbour, { name: 'Someone Else', externalId: 'HR-1001' });
const neighbourBefore = await fingerprint(database, 'neighbour');
if (!postgres) await database.close(); // PGlite serves one process: the demo script opens it next.

t.test('refuses to run in production', async (t) => {
  const { code, output } = await runDemo({ ...target.env, NODE_ENV: 'production', JWT_SECRET: 'production-secret-0123456789abcdefghij' });
  t.equal(code, 1);
  t.match(output, /refuses to run with NODE_ENV=production/);
});

t.test('fills the demo organisation, then a second run changes nothing', async (t) => {
  const first = await runDemo(target.env);
  t.equal(first.code, 0, first.output);
  t.match(first.output, /Filled the "demo" organisation .* 18 relationships in 2 programmes/);
  if (!postgres) database = await target.open();
  const filled = await fingerprint(database, 'demo');
  if (!postgres) await database.close();

  const second = await runDemo(target.env);
  t.equal(second.code, 0, second.output);
  t.match(second.output, /already has its demo programmes; nothing changed/);
  if (!postgres) database = await target.open();
  t.same(await fingerprint(database, 'demo'), filled, 'every demo row is as the first run left it');
  t.same(await fingerprint(database, 'neighbour'), neighbourBefore, 'another organisation is never touched, even with the same names and HR ids');
  if (!postgres) await database.close(); // one handle on a data directory at a time (the DATA_DIR lock)
});

t.test('the demo data is a realistic programme on each built-in model', async (t) => {
  if (!postgres) database = await target.open();
  const admin: Actor = { sub: 'reader', org: 'demo', roles: ['admin'] };
  const now = Date.now();
  const services = createServices({ db: database.db, clock: () => new Date(now) });
  const programmes = (await services.listProgrammes(admin, { limit: 100 })).items;
  t.same(programmes.map((programme) => programme.stageModel.key).sort(), ['classic-4', 'five-stage']);

  for (const programme of programmes) {
    const relationships = (await services.listRelationships(admin, { programmeId: programme.id, limit: 100 })).items;
    const model = BUILT_IN_MODELS.find((candidate) => candidate.key === programme.stageModel.key)!;
    const active = new Set(relationships.filter((relationship) => relationship.status === 'active').map((relationship) => relationship.stage));
    for (const stage of model.stages) t.ok(active.has(stage), `${model.key}: a relationship is active in ${stage}`);
    for (const status of ['completed', 'declined', 'withdrawn']) t.ok(relationships.some((relationship) => relationship.status === status), `${model.key}: a relationship ended ${status}`);

    const report = await services.getProgrammeReport(admin, { id: programme.id });
    t.ok(report.goals.achieved > 0 && report.goals.dropped > 0 && report.goals.agreed > 0, `${model.key}: goals agreed, achieved and dropped`);
    t.ok(report.inactive.count > 0, `${model.key}: some pairs have gone quiet`);

    const histories = await Promise.all(relationships.map((relationship) => services.listHistory(admin, { id: relationship.id, limit: 100 })));
    const moments = histories.flatMap((page) => page.items.map((entry) => Date.parse(entry.at)));
    t.ok(Math.max(...moments) - Math.min(...moments) > 120 * 86_400_000, `${model.key}: history spread over months`);
    t.ok(Math.max(...moments) <= now, 'nothing in the future');
    t.ok(histories.some((page) => page.items.some((entry, index) => index > 0 && model.stages.indexOf(entry.toStage) < model.stages.indexOf(entry.fromStage ?? '') && entry.toStatus === 'active')), `${model.key}: a loop back was taken`);

    const goals = (await Promise.all(relationships.map((relationship) => services.listGoals(admin, { relationshipId: relationship.id, limit: 100 })))).flatMap((page) => page.items);
    const drafts = goals.filter((goal) => goal.status === 'draft');
    t.ok(drafts.length > 0, `${model.key}: a draft goal`);
    const checks = await Promise.all(drafts.map((goal) => services.checkGoalDraft(admin, { relationshipId: goal.relationshipId, goal: { title: goal.title, outcome: goal.outcome, focus: goal.focus, relevance: goal.relevance, dueOn: goal.dueOn } })));
    t.ok(checks.some((report) => !report.passed), `${model.key}: a goal failing SMART`);
    t.ok(goals.some((goal) => goal.status === 'agreed'), `${model.key}: goals that passed SMART and were agreed`);

    const sessions = (await Promise.all(relationships.map((relationship) => services.listSessions(admin, { relationshipId: relationship.id, limit: 100 })))).flatMap((page) => page.items);
    t.ok(new Set(sessions.map((session) => session.kind)).size >= 2, `${model.key}: sessions of several kinds`);
    const reflections = (await Promise.all(relationships.map((relationship) => services.listReflections(admin, { relationshipId: relationship.id, limit: 100 })))).flatMap((page) => page.items);
    t.ok(reflections.some((reflection) => reflection.kind === 'closing') && reflections.some((reflection) => reflection.kind === 'progress'), `${model.key}: progress and closing reflections`);
  }

  const people = (await services.listPeople(admin, { limit: 100 })).items;
  t.equal(people.length, 26);
  t.ok(people.every((person) => person.timezone && person.externalId), 'everyone has a time zone and an HR id');
  t.ok(new Set(people.map((person) => person.timezone)).size > 10, 'spread over many time zones');
  t.ok(people.some((person) => person.timezone === 'Asia/Kolkata'), "current IANA names are accepted (Node 20's ICU lists Asia/Calcutta)");
  t.ok(people.filter((person) => person.skills.length > 0).length === people.length, 'everyone has skills');
  if (!postgres) await database.close();
});
