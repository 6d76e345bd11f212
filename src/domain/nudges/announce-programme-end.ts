import { and, count, eq } from 'drizzle-orm';
import { relationships } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';

/**
 * A scheduled notice (src/jobs/): the programme ends soon (`programme.ending`, endingNoticeDays
 * before endsOn) or has ended (`programme.ended`, the day after endsOn), with the relationships
 * still active and what the programme does with them. Once per end date (the job's key carries
 * it); nothing if the end date moved meanwhile.
 */
export async function announceProgrammeEnd(ctx: Ctx, input: { programmeId: string; endsOn: string; phase: 'ending' | 'ended' }): Promise<{ sent: boolean }> {
  const programme = await loadProgrammeRow(ctx, input.programmeId);
  if (programme.endsOn !== input.endsOn) return { sent: false };
  const [active] = await ctx.db
    .select({ n: count() })
    .from(relationships)
    .where(and(eq(relationships.orgId, ctx.actor.org), eq(relationships.programmeId, programme.id), eq(relationships.status, 'active')));
  await recordEvent(ctx, input.phase === 'ending' ? 'programme.ending' : 'programme.ended', programme.id, {
    programmeId: programme.id,
    name: programme.name,
    endsOn: programme.endsOn,
    activeRelationships: active?.n ?? 0,
    onProgrammeEnd: programme.onProgrammeEnd,
  });
  return { sent: true };
}
