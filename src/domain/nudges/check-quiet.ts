import { and, eq, max } from 'drizzle-orm';
import { relationships, sessions } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { loadProgrammeOfRelationship } from '../programmes/load-programme.ts';
import { quietDueAt } from './quiet-due.ts';

export type QuietCheck = { outcome: 'quiet'; expectedAt: Date } | { outcome: 'not_yet'; nextCheckAt: Date } | { outcome: 'nothing' };

/**
 * A scheduled check (src/jobs/): has the pair missed its expected session by the grace period?
 * If so it is quiet from that session on, `relationship.quiet` is sent once for the episode and no
 * further check is made until a session is held (hold-session and log-session clear it and send
 * `relationship.resumed`). If not yet, the next check is set to the moment it would be.
 */
export async function checkQuiet(ctx: Ctx, input: { relationshipId: string }): Promise<QuietCheck> {
  return withAudit(ctx, { action: 'checkQuiet', subjectType: 'relationship', subjectId: () => input.relationshipId }, async (tx) => {
    const [{ row }, programme, [held]] = await Promise.all([
      loadRelationship(tx, input.relationshipId, { lock: true }),
      loadProgrammeOfRelationship(tx, input.relationshipId),
      tx.db
        .select({ lastHeldAt: max(sessions.heldAt) })
        .from(sessions)
        .where(and(eq(sessions.orgId, tx.actor.org), eq(sessions.relationshipId, input.relationshipId), eq(sessions.status, 'held'))),
    ]);
    const setCheck = (quietCheckAt: Date | null, quietSince?: Date) =>
      tx.db
        .update(relationships)
        .set({ quietCheckAt, ...(quietSince ? { quietSince } : {}) })
        .where(and(eq(relationships.orgId, tx.actor.org), eq(relationships.id, row.id)));
    if (row.status !== 'active' || row.quietSince || !programme) {
      await setCheck(null);
      return { outcome: 'nothing' };
    }
    const lastHeldAt = held?.lastHeldAt ?? null;
    const due = quietDueAt({
      rhythm: row.agreement?.rhythm ?? null,
      cadenceDays: programme.defaultCadenceDays,
      graceDays: programme.quietGraceDays,
      lastHeldAt,
      since: row.createdAt,
    });
    const now = tx.clock();
    if (due.quietAt.getTime() > now.getTime()) {
      await setCheck(due.quietAt);
      return { outcome: 'not_yet', nextCheckAt: due.quietAt };
    }
    await Promise.all([
      setCheck(null, due.expectedAt),
      recordEvent(tx, 'relationship.quiet', row.id, {
        relationshipId: row.id,
        programmeId: row.programmeId,
        expectedAt: due.expectedAt.toISOString(),
        lastHeldAt: lastHeldAt?.toISOString() ?? null,
        basis: due.basis,
        graceDays: programme.quietGraceDays,
        version: row.version,
      }),
    ]);
    return { outcome: 'quiet', expectedAt: due.expectedAt };
  });
}
