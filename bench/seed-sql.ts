import { CLASSIC_4 } from '../src/domain/stage-models/index.ts';

/** The organisation every seeded row belongs to; the bench's tokens carry it. */
export const BENCH_ORG = 'bench';
export const PROGRAMMES = 10;
/** Programme 0 holds a quarter of all relationships: the list scenario filters on it. */
export const BIG_PROGRAMME = 0;

const DAY = 86_400_000;

/** Every number the statements need, worked out once from the relationship count and the time now. */
export function seedPlan(relationships: number, nowMs: number) {
  const mentors = Math.ceil(relationships / 4);
  const spareMentors = Math.max(10, Math.ceil(relationships / 100));
  const peopleTotal = mentors + relationships + spareMentors;
  return {
    n: relationships,
    mentors,
    spareMentors,
    peopleTotal,
    now: nowMs,
    programmeMs: nowMs - 1000 * DAY,
    peopleMs: nowMs - 900 * DAY,
    peopleStep: Math.max(1, Math.floor((150 * DAY) / peopleTotal)),
    relMs: nowMs - 730 * DAY,
    relStep: Math.max(1, Math.floor((700 * DAY) / relationships)),
  };
}
export type SeedPlan = ReturnType<typeof seedPlan>;

// A UUIDv7 layout made in SQL: 48 bits of Unix milliseconds, the version nibble 7, 12 bits naming
// the table, the variant bits 10, and 62 bits of the row's ordinal. Ids sort by creation time like
// the app's uuidv7(), and any row's id can be computed from its ordinal: no joins to link rows.
export const createIdFunction = `
create or replace function bench_id(ms bigint, tag int, ordinal bigint) returns uuid
language sql immutable parallel safe as $$
  select (lpad(to_hex(ms), 12, '0') || '7' || lpad(to_hex(tag), 3, '0')
          || to_hex(ordinal | (-9223372036854775808)::bigint))::uuid
$$`;
export const dropIdFunction = 'drop function if exists bench_id(bigint, int, bigint)';

const T = { programme: 1, person: 2, relationship: 3, history: 4, goal: 5, metric: 6, milestone: 7, task: 8, session: 9, reflection: 10 };

const ts = (msExpr: string) => `to_timestamp((${msExpr})::double precision / 1000)`;
const personMs = (p: SeedPlan, k: string) => `(${p.peopleMs}::bigint + (${k})::bigint * ${p.peopleStep})`;
const programmeMs = (p: SeedPlan, k: string) => `(${p.programmeMs}::bigint + (${k})::bigint * ${DAY})`;
const relMs = (p: SeedPlan, i: string) => `(${p.relMs}::bigint + (${i})::bigint * ${p.relStep})`;
/** The path a relationship took: 'initiation' … 'closure' while active, else its end status. */
const pathKey = (r: string) => `(case when ${r}.status = 'active' then ${r}.stage else ${r}.status end)`;
/** Milliseconds since the epoch of a timestamptz column. */
const msOf = (column: string) => `(extract(epoch from ${column}) * 1000)::bigint`;
/** The ordinal of a relationship, recovered from its id (its last 62 bits). */
const ordinalOf = (id: string) => `(('x' || right(replace(${id}::text, '-', ''), 15))::bit(60)::bigint)`;

// Share of relationships per path, out of 100, and the shape of each path: how many history
// steps, the version after the last one, and at which step the current stage was entered.
const PATHS = `(values
  ('initiation', 0, 15, 1, 1, 1), ('negotiation', 15, 30, 2, 4, 2), ('growth', 30, 65, 3, 6, 3),
  ('closure', 65, 75, 4, 7, 4), ('completed', 75, 90, 5, 8, 4), ('declined', 90, 95, 2, 2, 1),
  ('withdrawn', 95, 100, 4, 7, 3)) as path(key, lo, hi, steps, version, stage_step)`;

const HISTORY_STEPS = `(values
  ('initiation', 1, 1, null, 'initiation', null, 'active', 'opened'),
  ('negotiation', 1, 1, null, 'initiation', null, 'active', 'opened'),
  ('negotiation', 2, 4, 'initiation', 'negotiation', 'active', 'active', null),
  ('growth', 1, 1, null, 'initiation', null, 'active', 'opened'),
  ('growth', 2, 4, 'initiation', 'negotiation', 'active', 'active', null),
  ('growth', 3, 6, 'negotiation', 'growth', 'active', 'active', null),
  ('closure', 1, 1, null, 'initiation', null, 'active', 'opened'),
  ('closure', 2, 4, 'initiation', 'negotiation', 'active', 'active', null),
  ('closure', 3, 6, 'negotiation', 'growth', 'active', 'active', null),
  ('closure', 4, 7, 'growth', 'closure', 'active', 'active', null),
  ('completed', 1, 1, null, 'initiation', null, 'active', 'opened'),
  ('completed', 2, 4, 'initiation', 'negotiation', 'active', 'active', null),
  ('completed', 3, 6, 'negotiation', 'growth', 'active', 'active', null),
  ('completed', 4, 7, 'growth', 'closure', 'active', 'active', null),
  ('completed', 5, 8, 'closure', 'closure', 'active', 'completed', 'all goals resolved'),
  ('declined', 1, 1, null, 'initiation', null, 'active', 'opened'),
  ('declined', 2, 2, 'initiation', 'initiation', 'active', 'declined', 'not the right fit'),
  ('withdrawn', 1, 1, null, 'initiation', null, 'active', 'opened'),
  ('withdrawn', 2, 4, 'initiation', 'negotiation', 'active', 'active', null),
  ('withdrawn', 3, 6, 'negotiation', 'growth', 'active', 'active', null),
  ('withdrawn', 4, 7, 'growth', 'growth', 'active', 'withdrawn', 'mentee changed role')
) as step(key, j, version, from_stage, to_stage, from_status, to_status, reason)`;

const AGREEMENT = JSON.stringify({
  contactChannel: 'Video call; chat for quick questions',
  contactHours: 'Tuesdays 16:00-17:00',
  confidentiality: 'What we discuss stays between us.',
  mentorCanHelpWith: ['Planning', 'Stakeholder management'],
  mentorCannotHelpWith: ['Salary negotiation'],
});
const q = (text: string) => `'${text.replace(/'/g, "''")}'`;

export interface SeedStep {
  table: string;
  sql: string;
}

/** The INSERT … SELECT statements, in foreign-key order. */
export function seedSteps(p: SeedPlan): SeedStep[] {
  const at = (i: string, fraction: string) => `${ts(relMs(p, i))} + (${ts(String(p.now))} - ${ts(relMs(p, i))}) * (${fraction})`;
  return [
    { table: 'organisations', sql: `insert into organisations (id, name) values (${q(BENCH_ORG)}, 'Bench organisation')` },
    {
      table: 'programmes',
      sql: `insert into programmes (id, org_id, name, description, stage_model, discovery_required, created_at, updated_at)
        select bench_id(${programmeMs(p, 'k')}, ${T.programme}, k), ${q(BENCH_ORG)}, 'Programme ' || k, 'Seeded for the benchmark',
               ${q(JSON.stringify(CLASSIC_4))}::jsonb, false, ${ts(programmeMs(p, 'k'))}, ${ts(programmeMs(p, 'k'))}
        from generate_series(0, ${PROGRAMMES - 1}) k`,
    },
    {
      table: 'people',
      sql: `insert into people (id, org_id, external_id, name, email, timezone, skills, qualifications, experience_summary, capacity, created_at, updated_at)
        select bench_id(${personMs(p, 'k')}, ${T.person}, k), ${q(BENCH_ORG)}, 'hr-' || k, 'Person ' || k, 'person' || k || '@example.com',
               'Europe/London', case when k < ${p.mentors} or k >= ${p.mentors + p.n} then '["planning","coaching","stakeholder management"]'::jsonb else '["sql"]'::jsonb end,
               '[]'::jsonb, case when k < ${p.mentors} then 'Team lead for six years' end,
               case when k < ${p.mentors} then 5 when k >= ${p.mentors + p.n} then 3 else 1 end,
               ${ts(personMs(p, 'k'))}, ${ts(personMs(p, 'k'))}
        from generate_series(0, ${p.peopleTotal - 1}) k`,
    },
    {
      table: 'relationships',
      sql: `insert into relationships (id, org_id, programme_id, mentor_id, mentee_id, stage, status, version, aspiration, agreement,
               mentor_accepted_at, mentee_accepted_at, stage_entered_at, last_activity_at, ended_at, created_at, updated_at)
        select bench_id(${relMs(p, 'i')}, ${T.relationship}, i), ${q(BENCH_ORG)},
               bench_id(${programmeMs(p, 'r.prog')}, ${T.programme}, r.prog),
               bench_id(${personMs(p, `i % ${p.mentors}`)}, ${T.person}, i % ${p.mentors}),
               bench_id(${personMs(p, `${p.mentors} + i`)}, ${T.person}, ${p.mentors} + i),
               case path.key when 'completed' then 'closure' when 'declined' then 'initiation' when 'withdrawn' then 'growth' else path.key end,
               case when path.key in ('completed', 'declined', 'withdrawn') then path.key else 'active' end,
               path.version, 'I want a promotion to team lead',
               case when path.key in ('growth', 'closure', 'completed', 'withdrawn') then ${q(AGREEMENT)}::jsonb end,
               case when path.key not in ('initiation', 'declined') then ${at('i', '0.3 / path.steps')} end,
               case when path.key not in ('initiation', 'declined') then ${at('i', '0.6 / path.steps')} end,
               ${at('i', '(path.stage_step - 1)::float / path.steps')},
               ${at('i', '(path.steps - 1)::float / path.steps')},
               case when path.key in ('completed', 'declined', 'withdrawn') then ${at('i', '(path.steps - 1)::float / path.steps')} end,
               ${ts(relMs(p, 'i'))}, ${at('i', '(path.steps - 1)::float / path.steps')}
        from (select i, case when i % 4 = 0 then ${BIG_PROGRAMME} else 1 + (i / 4) % ${PROGRAMMES - 1} end as prog,
                     (hashint4(i)::bigint & 2147483647) % 100 as bucket
              from generate_series(0, ${p.n - 1}) i) r
        join ${PATHS} on r.bucket >= path.lo and r.bucket < path.hi`,
    },
    {
      table: 'stage_history',
      sql: `insert into stage_history (id, org_id, relationship_id, version, from_stage, to_stage, from_status, to_status, actor, reason, override, at)
        select bench_id(${msOf('x.at')}, ${T.history}, x.ord * 8 + x.j), x.org_id, x.id, x.version, x.from_stage, x.to_stage, x.from_status, x.to_status,
               'bench-seed', x.reason, false, x.at
        from (select r.id, r.org_id, ${ordinalOf('r.id')} as ord, step.*,
                     r.created_at + (${ts(String(p.now))} - r.created_at) * ((step.j - 1)::float / path.steps) as at
              from relationships r
              join ${PATHS} on path.key = ${pathKey('r')}
              join ${HISTORY_STEPS} on step.key = path.key) x`,
    },
    {
      table: 'goals',
      sql: `insert into goals (id, org_id, relationship_id, title, outcome, focus, relevance, due_on, status, mentor_confirmed_realistic,
               agreed_by_mentor_at, agreed_by_mentee_at, agreed_at, achieved_at, dropped_at, drop_reason, created_at, updated_at)
        select bench_id(${msOf('x.created')}, ${T.goal}, x.ord * 3 + x.g), x.org_id, x.id,
               (array['Lead the quarterly planning for my team', 'Present the roadmap to the leadership group', 'Coach two new joiners through onboarding'])[x.g],
               'I have led two quarterly planning sessions end to end and my manager rates them as ready for promotion.',
               'promotion', 'Leading planning is the main gap between me and the promotion to team lead I am aiming for.',
               current_date + 60 + ((hashint8(x.ord * 3 + x.g) & 2147483647) % 300)::int, x.status, x.status <> 'draft',
               case when x.status <> 'draft' then x.agreed end, case when x.status <> 'draft' then x.agreed end,
               case when x.status <> 'draft' then x.agreed end,
               case when x.status = 'achieved' then x.resolved end, case when x.status = 'dropped' then x.resolved end,
               case when x.status = 'dropped' then 'no longer relevant after the reorganisation' end,
               x.created, coalesce(x.resolved, x.agreed, x.created)
        from (select r.id, r.org_id, ${ordinalOf('r.id')} as ord, g,
                     case when ${pathKey('r')} in ('growth', 'withdrawn') then 'agreed'
                          when ${pathKey('r')} in ('closure', 'completed') then case when g = 3 then 'dropped' else 'achieved' end
                          else 'draft' end as status,
                     r.created_at + (r.stage_entered_at - r.created_at) * (0.1 * g) as created,
                     r.created_at + (r.stage_entered_at - r.created_at) * 0.9 as agreed,
                     case when ${pathKey('r')} in ('closure', 'completed') then r.stage_entered_at end as resolved
              from relationships r cross join generate_series(1, 3) g) x`,
    },
    {
      table: 'goal_metrics',
      sql: `insert into goal_metrics (id, org_id, goal_id, position, name, baseline, target, unit)
        select bench_id(${msOf('g.created_at')}, ${T.metric}, ${ordinalOf('g.id')}), g.org_id, g.id, 0, 'Planning sessions led', 0, 2, 'sessions'
        from goals g`,
    },
    {
      table: 'milestones',
      sql: `insert into milestones (id, org_id, goal_id, position, title, due_on, done_at)
        select bench_id(${msOf('g.created_at')}, ${T.milestone}, ${ordinalOf('g.id')} * 2 + m), g.org_id, g.id, m,
               (array['Shadow the current lead', 'Co-lead a session'])[m + 1], g.due_on - (60 - 30 * m),
               case when m = 0 and g.status <> 'draft' then g.updated_at end
        from goals g cross join generate_series(0, 1) m`,
    },
    {
      table: 'tasks',
      sql: `insert into tasks (id, org_id, goal_id, position, title, due_on, resources, done_at)
        select bench_id(${msOf('g.created_at')}, ${T.task}, ${ordinalOf('g.id')}), g.org_id, g.id, 0, 'Read the planning handbook',
               g.due_on - 90, '["https://example.com/handbook"]'::jsonb, case when g.status in ('achieved', 'dropped') then g.updated_at end
        from goals g where g.status <> 'draft'`,
    },
    {
      table: 'sessions',
      sql: `insert into sessions (id, org_id, relationship_id, kind, held_at, minutes, notes, logged_by, created_at)
        select bench_id(${msOf('x.held')}, ${T.session}, x.ord * 8 + s), x.org_id, x.id,
               case when s = 1 then 'discovery' when x.key = 'completed' and s = x.n then 'closing' else 'regular' end,
               x.held, case when s = 1 then 20 else 45 end, 'Talked through the plan for the next month.', 'bench-seed', x.held
        from (select r.id, r.org_id, ${ordinalOf('r.id')} as ord, ${pathKey('r')} as key, r.created_at, r.last_activity_at,
                     case ${pathKey('r')} when 'negotiation' then 1 when 'growth' then 4 when 'closure' then 6 when 'completed' then 7
                          when 'withdrawn' then 3 else 0 end as n
              from relationships r) x0
        cross join lateral (select x0.*, s, x0.created_at + (x0.last_activity_at - x0.created_at) * (s::float / (x0.n + 1)) as held
                            from generate_series(1, x0.n) s) x`,
    },
    {
      table: 'reflections',
      sql: `insert into reflections (id, org_id, relationship_id, author_party, author_id, kind, text, what_worked, what_did_not, how_benefited, created_at)
        select bench_id(${msOf('r.last_activity_at')}, ${T.reflection}, ${ordinalOf('r.id')} * 2 + k), r.org_id, r.id,
               (array['mentor', 'mentee'])[k + 1], case when k = 0 then r.mentor_id else r.mentee_id end, 'closing',
               'Closing thoughts after a good year.', 'Regular sessions with a clear agenda.', 'Rescheduling too often.',
               'Clearer view of leadership.', r.last_activity_at - interval '1 hour'
        from relationships r cross join generate_series(0, 1) k
        where r.status = 'completed'`,
    },
  ];
}

/** The tables seeded, whose keys, indexes and foreign keys are set aside during the load. */
export const SEEDED_TABLES = ['organisations', 'programmes', 'people', 'relationships', 'stage_history', 'goals', 'goal_metrics', 'milestones', 'tasks', 'sessions', 'reflections'];

/** Checks that each relationship's history ends where the relationship is, at its version. */
export const invariantCheck = `
  select count(*)::int as broken from relationships r
  left join lateral (select version, to_stage, to_status from stage_history h
                     where h.relationship_id = r.id order by version desc limit 1) last on true
  where last.version is distinct from r.version or last.to_stage is distinct from r.stage or last.to_status is distinct from r.status`;
