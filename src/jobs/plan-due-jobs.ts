import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Database } from '../db/client.ts';
import type { JobKind } from '../vocabulary.ts';

/** The most occurrences of one kind a sweep plans at once; the rest follow at the next sweep. */
export const PLAN_LIMIT = 1000;
/** The widest reminder settings allow (dueSoonDays ≤ 60, sessionReminderMinutes ≤ a week): the index ranges the sweeps read. */
const DUE_SOON_HORIZON_DAYS = 60;
const SESSION_HORIZON = "interval '7 days'";
/** A programme's end is announced until this many days after it (a scheduler stopped over the end still announces it). */
const ENDED_WITHIN_DAYS = 30;

interface Moment {
  now: string;
  today: string;
}

/**
 * A reminder that something comes due within its programme's `dueSoonDays`: a task or milestone
 * still open (of a goal still open), or an agreed goal itself, in an active relationship. One
 * statement for the three kinds; `x` is the row that comes due, `g` its goal.
 */
function dueSoonSweep(kind: 'task_due_soon' | 'milestone_due_soon' | 'goal_due_soon', part: 'tasks' | 'milestones' | null) {
  const x = sql.raw(part ? 'x' : 'g');
  const from = sql.raw(part ? `${part} x join goals g on g.id = x.goal_id and g.org_id = x.org_id` : 'goals g');
  const open = sql.raw(part ? `x.done_at is null and g.status in ('draft', 'agreed')` : `g.status = 'agreed'`);
  return ({ now, today }: Moment) => sql`
    select ${x}.org_id, ${x}.id, ${now}::timestamptz, ${sql.raw(`'${kind}:'`)} || ${x}.id || ':' || ${x}.due_on, jsonb_build_object('dueOn', ${x}.due_on::text)
    from ${from}
    join relationships r on r.id = g.relationship_id and r.org_id = ${x}.org_id
    join programmes p on p.id = r.programme_id and p.org_id = ${x}.org_id
    where ${open} and ${x}.due_on >= ${today}::date and ${x}.due_on <= ${today}::date + ${DUE_SOON_HORIZON_DAYS}::int
      and ${x}.due_on <= ${today}::date + p.due_soon_days and r.status = 'active'
    limit ${PLAN_LIMIT}`;
}

/**
 * Each kind's sweep: an INSERT … SELECT of the occurrences due at `now`, each under a key unique
 * to the occurrence (ON CONFLICT DO NOTHING), so sweeping again, or two workers sweeping at once,
 * plans each occurrence once. Every SELECT reads a partial index over what can still come due
 * (relationships whose quiet check is due, invitations not yet accepted by both, open tasks and
 * milestones, agreed goals, planned sessions), so a sweep's cost follows what is due, not the
 * size of the tables.
 */
const SWEEPS: Record<JobKind, (m: Moment) => SQL> = {
  quiet_check: ({ now }) => sql`
    select r.org_id, r.id as subject_id, r.quiet_check_at as run_at,
           'quiet_check:' || r.id || ':' || (extract(epoch from r.quiet_check_at) * 1000)::bigint as key, '{}'::jsonb as payload
    from relationships r
    where r.status = 'active' and r.quiet_check_at <= ${now}::timestamptz
    order by r.quiet_check_at limit ${PLAN_LIMIT}`,
  expire_invitation: ({ now }) => sql`
    select r.org_id, r.id, r.created_at + p.invitation_expiry_days * interval '1 day',
           'expire_invitation:' || r.id || ':' || p.invitation_expiry_days, '{}'::jsonb
    from relationships r join programmes p on p.id = r.programme_id and p.org_id = r.org_id
    where r.status = 'active' and (r.mentor_accepted_at is null or r.mentee_accepted_at is null)
      and p.invitation_expiry_days is not null and r.created_at + p.invitation_expiry_days * interval '1 day' <= ${now}::timestamptz
      and r.stage = p.stage_model->>'start'
    limit ${PLAN_LIMIT}`,
  task_due_soon: dueSoonSweep('task_due_soon', 'tasks'),
  milestone_due_soon: dueSoonSweep('milestone_due_soon', 'milestones'),
  goal_due_soon: dueSoonSweep('goal_due_soon', null),
  session_upcoming: ({ now }) => sql`
    select s.org_id, s.id, ${now}::timestamptz,
           'session_upcoming:' || s.id || ':' || (extract(epoch from s.planned_at) * 1000)::bigint,
           jsonb_build_object('plannedAt', to_char(s.planned_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    from sessions s
    join relationships r on r.id = s.relationship_id and r.org_id = s.org_id
    join programmes p on p.id = r.programme_id and p.org_id = s.org_id
    where s.status = 'planned' and s.planned_at > ${now}::timestamptz and s.planned_at <= ${now}::timestamptz + ${sql.raw(SESSION_HORIZON)}
      and s.planned_at <= ${now}::timestamptz + p.session_reminder_minutes * interval '1 minute' and r.status = 'active'
    limit ${PLAN_LIMIT}`,
  programme_ending: ({ now, today }) => sql`
    select p.org_id, p.id, ${now}::timestamptz, 'programme_ending:' || p.id || ':' || p.ends_on, jsonb_build_object('endsOn', p.ends_on::text)
    from programmes p
    where p.ends_on >= ${today}::date and p.ends_on <= ${today}::date + p.ending_notice_days
    limit ${PLAN_LIMIT}`,
  programme_ended: ({ now, today }) => sql`
    select p.org_id, p.id, ${now}::timestamptz, 'programme_ended:' || p.id || ':' || p.ends_on, jsonb_build_object('endsOn', p.ends_on::text)
    from programmes p
    where p.ends_on < ${today}::date and p.ends_on >= ${today}::date - ${ENDED_WITHIN_DAYS}::int
    limit ${PLAN_LIMIT}`,
  programme_end_close: ({ now, today }) => sql`
    select r.org_id, r.id, ${now}::timestamptz, 'programme_end_close:' || r.id || ':' || p.ends_on, jsonb_build_object('endsOn', p.ends_on::text)
    from programmes p join relationships r on r.org_id = p.org_id and r.programme_id = p.id
    where p.on_programme_end = 'close' and p.ends_on < ${today}::date and r.status = 'active'
    limit ${PLAN_LIMIT}`,
  // A large programme's run, left pending by createMatchingRun and solved here, once.
  matching_run: () => sql`
    select m.org_id, m.id, m.created_at, 'matching_run:' || m.id, '{}'::jsonb
    from matching_runs m
    where m.status = 'pending'
    limit ${PLAN_LIMIT}`,
};

/** Plans every kind's due occurrences at `now`; returns how many new jobs each sweep inserted. */
export async function planDueJobs(db: Database, now: Date): Promise<Record<JobKind, number>> {
  const moment = { now: now.toISOString(), today: now.toISOString().slice(0, 10) };
  const planned = {} as Record<JobKind, number>;
  for (const [kind, sweep] of Object.entries(SWEEPS) as [JobKind, (m: Moment) => SQL][]) {
    const rows = await selectRows<{ id: string }>(
      db,
      sql`insert into scheduled_jobs (id, org_id, subject_id, run_at, key, payload, kind)
          select gen_random_uuid(), due.org_id, due.subject_id, due.run_at, due.key, due.payload, ${kind} from (${sweep(moment)}) due (org_id, subject_id, run_at, key, payload)
          on conflict (key) do nothing
          returning id`,
    );
    planned[kind] = rows.length;
  }
  return planned;
}
