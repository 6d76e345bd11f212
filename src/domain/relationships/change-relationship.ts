import { and, eq, sql } from 'drizzle-orm';
import { relationships } from '../../db/schema.ts';
import type { RelationshipRow } from '../access.ts';
import { compiledByShape, param } from '../../db/compiled.ts';
import type { Ctx } from '../context.ts';
import { DomainError } from '../errors.ts';

export function checkExpectedVersion(row: RelationshipRow, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new DomainError('VERSION_CONFLICT', `The relationship is at version ${row.version}, not ${expectedVersion}; read it again and retry.`, {
      currentVersion: row.version,
    });
  }
}

type RelationshipChanges = Partial<typeof relationships.$inferInsert>;

// One compiled UPDATE per set of changed columns (a handful of shapes: moves, acceptances, agreement).
const updateVersioned = compiledByShape((db, shape) =>
  db
    .update(relationships)
    .set({
      ...Object.fromEntries(shape.split(',').filter(Boolean).map((column) => [column, sql.placeholder(column)])),
      version: sql`${relationships.version} + 1`,
      updatedAt: param<Date>('now'),
      lastActivityAt: param<Date>('now'),
    })
    .where(
      and(
        eq(relationships.orgId, param('org')),
        eq(relationships.id, param('id')),
        eq(relationships.version, param<number>('version')),
      ),
    )
    .returning(),
);

/**
 * Applies a change and bumps the version, race-safe: the UPDATE only matches the version that
 * was read, so of two writers from the same version exactly one succeeds.
 */
export async function changeRelationship(ctx: Ctx, row: RelationshipRow, changes: RelationshipChanges): Promise<RelationshipRow> {
  const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const shape = Object.keys(given).sort().join(',');
  const [updated] = await updateVersioned(ctx.db, shape, { ...given, now: ctx.clock(), org: row.orgId, id: row.id, version: row.version });
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

/** Nothing changes on a completed, declined or withdrawn relationship. */
export function relationshipEnded(row: RelationshipRow, what: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('RELATIONSHIP_ENDED', `The relationship is ${row.status}; you cannot ${what} any more.`, { ...details, relationshipStatus: row.status });
}

export function requireActive(row: RelationshipRow, what: string): void {
  if (row.status !== 'active') throw relationshipEnded(row, what);
}
