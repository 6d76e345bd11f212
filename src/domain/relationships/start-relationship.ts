import { relationships, stageHistory } from '../../db/schema.ts';
import type { RelationshipRow } from '../access.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';

export interface NewRelationship {
  programmeId: string;
  mentorId: string;
  menteeId: string;
  aspiration?: string | null;
  referredFromId?: string;
}

/** Inserts a relationship in its model's first stage, with its history row and relationship.opened event. */
export async function startRelationship(tx: Ctx, values: NewRelationship, start: string): Promise<RelationshipRow> {
  const now = tx.clock();
  const [row] = await tx.db
    .insert(relationships)
    .values({ ...values, orgId: tx.actor.org, stage: start, createdAt: now, updatedAt: now, stageEnteredAt: now, lastActivityAt: now, quietCheckAt: now })
    .returning();
  const opened = row!;
  await tx.db.insert(stageHistory).values({
    orgId: tx.actor.org,
    relationshipId: opened.id,
    version: opened.version,
    fromStage: null,
    toStage: start,
    fromStatus: null,
    toStatus: 'active',
    actor: tx.actor.sub,
    reason: values.referredFromId ? 'referred' : 'opened',
    at: now,
  });
  await recordEvent(tx, 'relationship.opened', opened.id, {
    relationshipId: opened.id,
    programmeId: opened.programmeId,
    mentorId: opened.mentorId,
    menteeId: opened.menteeId,
    stage: start,
    version: opened.version,
    ...(values.referredFromId ? { referredFromId: values.referredFromId } : {}),
  });
  return opened;
}
