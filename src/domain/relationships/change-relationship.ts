import { and, eq, sql } from 'drizzle-orm';
import { relationships } from '../../db/schema.ts';
import type { RelationshipRow } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError } from '../errors.ts';

export function checkExpectedVersion(row: RelationshipRow, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new DomainError('VERSION_CONFLICT', `The relationship is at version ${row.version}, not ${expectedVersion}; read it again and retry.`, {
      currentVersion: row.version,
    });
  }
}

/**
 * Applies a change and bumps the version, race-safe: the UPDATE only matches the version that
 * was read, so of two writers from the same version exactly one succeeds.
 */
export async function changeRelationship(
  ctx: Ctx,
  row: RelationshipRow,
  changes: Partial<typeof relationships.$inferInsert>,
): Promise<RelationshipRow> {
  const now = ctx.clock();
  const [updated] = await ctx.db
    .update(relationships)
    .set({ ...changes, version: sql`${relationships.version} + 1`, updatedAt: now, lastActivityAt: now })
    .where(and(eq(relationships.orgId, row.orgId), eq(relationships.id, row.id), eq(relationships.version, row.version)))
    .returning();
  if (!updated) {
    throw new DomainError('VERSION_CONFLICT', 'The relationship changed while this request ran; read it again and retry.', {});
  }
  return updated;
}

/** Changes to a relationship's goals, sessions and reflections count as activity. */
export async function touchActivity(ctx: Ctx, row: RelationshipRow): Promise<void> {
  await ctx.db
    .update(relationships)
    .set({ lastActivityAt: ctx.clock() })
    .where(and(eq(relationships.orgId, row.orgId), eq(relationships.id, row.id)));
}

export function requireActive(row: RelationshipRow, what: string): void {
  if (row.status !== 'active') {
    throw new DomainError('CONFLICT', `The relationship is ${row.status}; you cannot ${what} any more.`, { status: row.status });
  }
}
