import { authorize } from '../permissions.ts';
import { and, asc, count, eq, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { selectRows } from '../../db/client.ts';
import { goals, relationships, sessions, tasks } from '../../db/schema.ts';
import type { RelationshipStatus } from '../../vocabulary.ts';
import type { Agreement } from '../schemas/relationship.ts';

import type { Ctx } from '../context.ts';
import { ReportQuery, type ProgrammeReport } from '../schemas/report.ts';
import { parseInput } from '../validate.ts';
import { heldAgainstRhythm } from '../sessions/rhythm-status.ts';
import { loadProgrammeRow } from './load-programme.ts';

/** The report lists this many relationships of each kind. */
const LISTED = 100;

/** Where a programme stands: stages, time spent in each, goals resolved, goals on track and tasks done, pairs inactive, pairs gone quiet. */
export async function getProgrammeReport(ctx: Ctx, input: { id: string } & z.input<typeof ReportQuery>): Promise<ProgrammeReport> {
  authorize(ctx.actor, 'getProgrammeReport');
  const { id, ...rawQuery } = input;
  const query = parseInput(ReportQuery, rawQuery);
  const programme = await loadProgrammeRow(ctx, id);
  const now = ctx.clock();
  const inProgramme = and(eq(relationships.orgId, ctx.actor.org), eq(relationships.programmeId, programme.id));
  const quietSince = new Date(now.getTime() - query.inactiveDays * 86_400_000);

  const isQuiet = and(inProgramme, eq(relationships.status, 'active'), isNotNull(relationships.quietSince));
  const hasRhythm = and(inProgramme, sql`jsonb_typeof(${relationships.agreement}->'rhythm') = 'object'`);
  const [byStage, goalCounts, inactive, inactiveCount, stays, onTrack, taskCounts, quiet, quietCount, rhythmRows, heldRows] = await Promise.all([
    ctx.db
      .select({ stage: relationships.stage, status: relationships.status, count: count() })
      .from(relationships)
      .where(inProgramme)
      .groupBy(relationships.stage, relationships.status)
      .orderBy(asc(relationships.stage), asc(relationships.status)),
    ctx.db
      .select({ status: goals.status, count: count() })
      .from(goals)
      .innerJoin(relationships, eq(relationships.id, goals.relationshipId))
      .where(and(eq(goals.orgId, ctx.actor.org), inProgramme))
      .groupBy(goals.status),
    ctx.db
      .select({ id: relationships.id })
      .from(relationships)
      .where(and(inProgramme, eq(relationships.status, 'active'), lt(relationships.lastActivityAt, quietSince)))
      .orderBy(asc(relationships.lastActivityAt))
      .limit(LISTED),
    ctx.db
      .select({ n: count() })
      .from(relationships)
      .where(and(inProgramme, eq(relationships.status, 'active'), lt(relationships.lastActivityAt, quietSince))),
    // A stay in a stage runs from entering it to the next history row (or now, if still there).
    selectRows<{ stage: string; median_days: number | string; stays: number | string }>(
      ctx.db,
      sql`select stage, percentile_cont(0.5) within group (order by days) as median_days, count(*) as stays
          from (select h.to_stage as stage, h.to_status,
                       extract(epoch from (coalesce(lead(h.at) over (partition by h.relationship_id order by h.version), ${now.toISOString()}::timestamptz) - h.at)) / 86400 as days
                from stage_history h join relationships r on r.id = h.relationship_id
                where h.org_id = ${ctx.actor.org} and r.org_id = ${ctx.actor.org} and r.programme_id = ${programme.id}) s
          where to_status = 'active'
          group by stage order by stage`,
    ),
    // On track: the metrics' mean progress (metricProgress's rule, in numeric so no span overflows) is
    // at least the share of the time from agreement to the end of the due date that has passed.
    selectRows<{ tracked: number | string; on_track: number | string }>(
      ctx.db,
      sql`select count(*) as tracked, count(*) filter (where progress >= elapsed) as on_track
          from (select g.id,
                       avg(least(1, greatest(0, (coalesce(latest.value, m.baseline)::numeric - m.baseline::numeric) / (m.target::numeric - m.baseline::numeric)))) as progress,
                       least(1, greatest(0, extract(epoch from (${now.toISOString()}::timestamptz - coalesce(g.agreed_at, g.created_at)))
                         / greatest(1, extract(epoch from ((g.due_on + 1)::timestamp at time zone 'UTC' - coalesce(g.agreed_at, g.created_at)))))) as elapsed
                from goals g
                join relationships r on r.id = g.relationship_id
                join goal_metrics m on m.goal_id = g.id and m.org_id = g.org_id
                left join lateral (select value from metric_readings mr where mr.metric_id = m.id order by mr.at desc, mr.id desc limit 1) latest on true
                where g.org_id = ${ctx.actor.org} and r.org_id = ${ctx.actor.org} and r.programme_id = ${programme.id}
                  and g.status = 'agreed' and g.due_on is not null
                  and m.baseline is not null and m.target is not null and m.baseline <> m.target
                group by g.id, g.agreed_at, g.created_at, g.due_on) tracked`,
    ),
    ctx.db
      .select({ done: count(tasks.doneAt), total: count() })
      .from(tasks)
      .innerJoin(goals, eq(goals.id, tasks.goalId))
      .innerJoin(relationships, eq(relationships.id, goals.relationshipId))
      .where(and(eq(tasks.orgId, ctx.actor.org), eq(goals.orgId, ctx.actor.org), ne(goals.status, 'dropped'), inProgramme)),
    ctx.db.select({ id: relationships.id }).from(relationships).where(isQuiet).orderBy(asc(relationships.quietSince), asc(relationships.id)).limit(LISTED),
    ctx.db.select({ n: count() }).from(relationships).where(isQuiet),
    ctx.db.select({ id: relationships.id, agreement: relationships.agreement, endedAt: relationships.endedAt }).from(relationships).where(hasRhythm),
    ctx.db
      .select({ relationshipId: sessions.relationshipId, heldAt: sessions.heldAt })
      .from(sessions)
      .innerJoin(relationships, eq(relationships.id, sessions.relationshipId))
      .where(and(eq(sessions.orgId, ctx.actor.org), eq(sessions.status, 'held'), isNotNull(sessions.heldAt), hasRhythm)),
  ]);
  const rhythms = sessionsAgainstRhythm(rhythmRows, heldRows, now);

  const goalsBy = (status: string) => goalCounts.find((g) => g.status === status)?.count ?? 0;
  const achieved = goalsBy('achieved');
  const dropped = goalsBy('dropped');
  return {
    programmeId: programme.id,
    generatedAt: now.toISOString(),
    relationships: {
      total: byStage.reduce((sum, row) => sum + row.count, 0),
      byStage: byStage.map((row) => ({ stage: row.stage, status: row.status as RelationshipStatus, count: row.count })),
    },
    medianDaysInStage: stays.map((row) => ({ stage: row.stage, medianDays: Math.round(Number(row.median_days) * 100) / 100, stays: Number(row.stays) })),
    goals: {
      total: goalCounts.reduce((sum, row) => sum + row.count, 0),
      agreed: goalsBy('agreed'),
      achieved,
      dropped,
      achievementRate: achieved + dropped === 0 ? null : Math.round((achieved / (achieved + dropped)) * 1000) / 1000,
    },
    progress: {
      goalsTracked: Number(onTrack[0]?.tracked ?? 0),
      goalsOnTrack: Number(onTrack[0]?.on_track ?? 0),
      onTrackShare: Number(onTrack[0]?.tracked ?? 0) === 0 ? null : Math.round((Number(onTrack[0]!.on_track) / Number(onTrack[0]!.tracked)) * 1000) / 1000,
      tasks: { done: taskCounts[0]?.done ?? 0, total: taskCounts[0]?.total ?? 0 },
      sessions: rhythms,
    },
    inactive: { days: query.inactiveDays, count: inactiveCount[0]?.n ?? 0, relationshipIds: inactive.map((row) => row.id) },
    quiet: { count: quietCount[0]?.n ?? 0, relationshipIds: quiet.map((row) => row.id) },
  };
}

/**
 * Sessions held against each pair's agreed rhythm: what the rhythm expected from its first session
 * until now (or until the relationship ended), and what was held. The share counts a pair's sessions
 * only up to what its rhythm expected, so one pair meeting twice as often cannot hide one gone quiet.
 */
function sessionsAgainstRhythm(
  rows: { id: string; agreement: Agreement | null; endedAt: Date | null }[],
  held: { relationshipId: string; heldAt: Date | null }[],
  now: Date,
): ProgrammeReport['progress']['sessions'] {
  const heldBy = new Map<string, Date[]>();
  for (const row of held) {
    if (!row.heldAt) continue;
    const list = heldBy.get(row.relationshipId);
    if (list) list.push(row.heldAt);
    else heldBy.set(row.relationshipId, [row.heldAt]);
  }
  const pairs = rows.flatMap((row) => {
    const rhythm = row.agreement?.rhythm;
    if (!rhythm) return [];
    const until = row.endedAt && row.endedAt < now ? row.endedAt : now;
    const counts = heldAgainstRhythm(rhythm, heldBy.get(row.id) ?? [], until);
    return [{ relationshipId: row.id, ...counts }];
  });
  const expected = pairs.reduce((sum, p) => sum + p.expected, 0);
  const counted = pairs.reduce((sum, p) => sum + Math.min(p.held, p.expected), 0);
  // Furthest behind first: the pairs a programme manager looks at.
  pairs.sort((a, b) => b.expected - b.held - (a.expected - a.held) || a.relationshipId.localeCompare(b.relationshipId));
  return {
    relationshipsWithRhythm: pairs.length,
    expected,
    held: pairs.reduce((sum, p) => sum + p.held, 0),
    heldShare: expected === 0 ? null : Math.round((counted / expected) * 1000) / 1000,
    relationships: pairs.slice(0, LISTED),
  };
}
