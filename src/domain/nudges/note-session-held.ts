import { and, eq } from 'drizzle-orm';
import { relationships } from '../../db/schema.ts';
import type { RelationshipRow } from '../access.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';

/**
 * A session was held (in the caller's transaction, the relationship locked): a quiet pair is quiet
 * no more (`relationship.resumed`, once per episode), and the scheduler checks the rhythm again
 * from this session on.
 */
export async function noteSessionHeld(tx: Ctx, row: RelationshipRow, heldAt: Date): Promise<void> {
  const now = tx.clock();
  await Promise.all([
    tx.db
      .update(relationships)
      .set({ quietSince: null, quietCheckAt: now })
      .where(and(eq(relationships.orgId, row.orgId), eq(relationships.id, row.id))),
    row.quietSince
      ? recordEvent(tx, 'relationship.resumed', row.id, {
          relationshipId: row.id,
          programmeId: row.programmeId,
          quietSince: row.quietSince.toISOString(),
          heldAt: heldAt.toISOString(),
          version: row.version,
        })
      : Promise.resolve(),
  ]);
}
