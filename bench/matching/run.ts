// The matching run at scale (issue 15): 200 mentees × 50 mentors up to 2,000 × 500, on PostgreSQL.
// Per size: the whole background run (completeMatchingRun: reading the people, scoring every pair,
// the LP model, HiGHS, storing the proposal and its event) against HiGHS's own solve of the same
// model; the parts (scoring, model, solve, store); the objective against greedy; and, where small
// enough to solve unpruned too, the objective lost to pruning each mentee to its best k = 50.
// Writes its own section of bench/RESULTS.md ("## Matching run"), leaving the others as they are.
//   tsx bench/matching/run.ts [--sizes 200x50,500x125,1000x250,2000x500] [--url postgres://postgres@127.0.0.1:5432/test]
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.ts';
import { matchingRuns, people, programmes } from '../../src/db/schema.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { completeMatchingRun } from '../../src/domain/matching/complete-matching-run.ts';
import { createMatchingRun } from '../../src/domain/matching/create-matching-run.ts';
import { selectParticipants } from '../../src/domain/matching/fill-matching-run.ts';
import { loadMatchingWorld } from '../../src/domain/matching/load-matching-world.ts';
import { planMatching } from '../../src/domain/matching/plan-matching.ts';
import { matchingSettings } from '../../src/domain/matching/settings.ts';
import { GOAL_FOCUSES } from '../../src/vocabulary.ts';
import { dropDatabase, recreateDatabase } from '../database.ts';
import { MATCHING_SECTION, spliceSection } from '../report/sections.ts';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '200x50,500x125,1000x250,2000x500' }, url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' } },
});
const sizes = values.sizes.split(',').map((s) => s.split('x').map(Number) as [number, number]);
/** Unpruned runs (every mentor a candidate) are solved too up to this many pairs, to price the pruning. */
const UNPRUNED_LIMIT = 100_000;
const SECTION = MATCHING_SECTION;

// A deterministic generator, so every run measures the same organisation.
let state = 42;
const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const some = <T>(items: readonly T[], min: number, max: number) => {
  const n = min + Math.floor(random() * (max - min + 1));
  return [...new Set(Array.from({ length: n }, () => pick(items)))];
};
const TOPICS = [
  'leadership', 'negotiation', 'communication', 'strategy', 'finance', 'budgeting', 'design', 'architecture', 'data', 'analytics',
  'coaching', 'feedback', 'presentation', 'networking', 'hiring', 'marketing', 'sales', 'product', 'research', 'writing',
  'security', 'operations', 'planning', 'stakeholders', 'influence', 'delegation', 'mentoring', 'testing', 'cloud', 'management',
];
const ZONES = ['Europe/London', 'Europe/Berlin', 'Europe/Helsinki', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];
const DEPARTMENTS = Array.from({ length: 12 }, (_, i) => `Department ${i}`);

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(2)} %`;

interface Row {
  size: string;
  pairs: number;
  candidates: number;
  load: number;
  scoring: number;
  model: number;
  solve: number;
  store: number;
  whole: number;
  objective: number;
  greedy: number;
  matched: number;
  unpruned?: { objective: number; solve: number };
  integral: boolean;
}

async function measure(serverUrl: string, menteeCount: number, mentorCount: number): Promise<Row> {
  const name = `tandem_bench_matching_${menteeCount}`;
  const url = await recreateDatabase(serverUrl, name);
  const database = await openDatabase({ kind: 'postgres', url });
  try {
    const ctx: Ctx = { db: database.db, clock: () => new Date('2026-12-01T09:00:00Z'), actor: { sub: 'bench', org: 'bench', roles: ['admin'] } };
    const [programme] = await database.db.insert(programmes).values({ orgId: 'bench', name: 'Bench programme', stageModel: { key: 'classic-4', name: 'Classic', start: 'initiation', stages: ['initiation'], transitions: [] } }).returning();
    // Mentors' capacity adds up to about 1.1 places a mentee, so capacity binds and the solver must choose.
    const mentors = Array.from({ length: mentorCount }, (_, i) => ({
      orgId: 'bench',
      externalId: `mentor-${i}`,
      name: `Mentor ${i}`,
      timezone: pick(ZONES),
      skills: some(TOPICS, 3, 6),
      qualifications: random() < 0.3 ? [`Certified ${pick(TOPICS)}`] : [],
      capacity: Math.max(1, Math.round(((menteeCount * 1.1) / mentorCount) * (0.5 + random()))),
      grade: 4 + Math.floor(random() * 7),
      experienceYears: 1 + Math.floor(random() * 25),
      department: pick(DEPARTMENTS),
      managerId: `boss-${Math.floor(random() * 40)}`,
      location: pick(['London', 'Berlin', 'New York', 'Singapore']),
    }));
    const mentorRows = await database.db.insert(people).values(mentors).returning({ id: people.id });
    const mentees = Array.from({ length: menteeCount }, (_, i) => ({
      orgId: 'bench',
      externalId: `mentee-${i}`,
      name: `Mentee ${i}`,
      timezone: pick(ZONES),
      capacity: 0,
      aspiration: `I want to grow in ${some(TOPICS, 2, 4).join(' and ')} to reach the next level`,
      goalFocus: pick(GOAL_FOCUSES),
      grade: 1 + Math.floor(random() * 6),
      department: pick(DEPARTMENTS),
      managerId: `boss-${Math.floor(random() * 40)}`,
      location: pick(['London', 'Berlin', 'New York', 'Singapore']),
      preferredMentorIds: random() < 0.3 ? some(mentorRows, 1, 3).map((m) => m.id) : [],
    }));
    for (let at = 0; at < mentees.length; at += 500) await database.db.insert(people).values(mentees.slice(at, at + 500));
    await database.rows(sql`analyze`);

    // The whole run, as the scheduler's job runs it; a first run warms HiGHS's WebAssembly and the JIT.
    await completeMatchingRun(ctx, { runId: (await createMatchingRun(ctx, { programmeId: programme!.id, background: true })).id });
    const pending = await createMatchingRun(ctx, { programmeId: programme!.id, background: true });
    const wholeStart = performance.now();
    await completeMatchingRun(ctx, { runId: pending.id });
    const whole = performance.now() - wholeStart;
    const [stored] = await database.db.select().from(matchingRuns).where(eq(matchingRuns.id, pending.id));

    // Its parts, again on the same data: reading, then planMatching's own clock (scoring, model, solve).
    const loadStart = performance.now();
    const world = await loadMatchingWorld(ctx, programme!.id);
    const load = performance.now() - loadStart;
    const { mentees: menteeProfiles, mentors: mentorProfiles } = selectParticipants(world, {});
    const settings = matchingSettings({});
    const planStart = performance.now();
    const plan = await planMatching(menteeProfiles, mentorProfiles, settings, world.history);
    const planTotal = performance.now() - planStart;
    const row: Row = {
      size: `${menteeCount} × ${mentorCount}`,
      pairs: menteeCount * mentorCount,
      candidates: plan.candidateCount,
      load,
      scoring: plan.timings.scoringMs,
      model: plan.timings.modelMs,
      solve: plan.timings.solveMs,
      store: Math.max(0, whole - load - planTotal),
      whole,
      objective: stored!.objective!,
      greedy: stored!.greedyObjective!,
      matched: plan.pairs.length,
      integral: plan.integral,
    };
    if (menteeCount * mentorCount <= UNPRUNED_LIMIT) {
      const unpruned = await planMatching(menteeProfiles, mentorProfiles, { ...settings, candidatesPerMentee: mentorCount }, world.history);
      row.unpruned = { objective: unpruned.objective, solve: unpruned.timings.solveMs };
    }
    return row;
  } finally {
    await database.close();
    await dropDatabase(serverUrl, name);
  }
}

const rows: Row[] = [];
const started = new Date();
for (const [menteeCount, mentorCount] of sizes) {
  const row = await measure(values.url, menteeCount, mentorCount);
  console.log(JSON.stringify(row));
  rows.push(row);
}

const table = [
  '| mentees × mentors | candidate pairs (k = 50) | read people | scoring | LP model | HiGHS solve | store | whole run | whole / HiGHS | objective | greedy | over greedy | matched | LP integral | unpruned optimum | lost to pruning |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.size} | ${r.candidates.toLocaleString('en')} | ${ms(r.load)} | ${ms(r.scoring)} | ${ms(r.model)} | ${ms(r.solve)} | ${ms(r.store)} | ${ms(r.whole)} | ${(r.whole / r.solve).toFixed(2)}× | ${r.objective.toFixed(2)} | ${r.greedy.toFixed(2)} | +${pct(r.objective, r.greedy)} | ${r.matched} | ${r.integral ? 'yes' : 'no'} | ${r.unpruned ? r.unpruned.objective.toFixed(2) : 'not solved'} | ${r.unpruned ? pct(r.unpruned.objective, r.objective) : '–'} |`,
  ),
];
const first = rows[0]!;
const last = rows.at(-1)!;
const section = [
  SECTION,
  '',
  `Measured by \`tsx bench/matching/run.ts --sizes ${values.sizes}\` at ${started.toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average at start ${loadavg().map((l) => l.toFixed(2)).join(', ')}; PostgreSQL, one generated organisation per size (mentor capacity about 1.1 places a mentee, so capacity binds). "Whole run" is the scheduler's job, after a first run that warms HiGHS's WebAssembly and the JIT (completeMatchingRun: read people and relationships, score every pair, build the LP, HiGHS, store the proposal and its event, one transaction); the parts are measured again on the same data (\"store\" is the whole run less the reading and planMatching so measured, so it carries their noise). Every pair is scored by number; only each mentee's best k are explained. "Lost to pruning" is the unpruned optimum (every eligible mentor a candidate) over the pruned one, where small enough to solve both. Target: whole run within 2× of HiGHS's own solve.`,
  '',
  ...table,
  '',
  `From ${first.size} to ${last.size} (${(last.pairs / first.pairs).toFixed(0)}× the pairs): whole run ${(last.whole / first.whole).toFixed(1)}×, HiGHS solve ${(last.solve / first.solve).toFixed(1)}×, scoring ${(last.scoring / first.scoring).toFixed(1)}×.`,
  '',
].join('\n');

const resultsPath = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const updated = spliceSection(await readFile(resultsPath, 'utf8'), SECTION, section);
await writeFile(resultsPath, updated);
console.log(section);
