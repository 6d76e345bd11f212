import { authorize } from '../permissions.ts';
import { and, asc, eq, gt, or } from 'drizzle-orm';
import { compiledIsoRowsByShape, param } from '../../db/compiled.ts';
import type { z } from 'zod';
import { relationships } from '../../db/schema.ts';
import { actorPersonId, seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { byId, readPage } from '../pagination.ts';
import type { Page } from '../schemas/common.ts';
import { ListRelationshipsQuery, type Relationship } from '../schemas/relationship.ts';
import { parseInput } from '../validate.ts';
import { presentRelationship } from './present-relationship.ts';

const LIST_FILTERS = ['self', 'programmeId', 'stage', 'status', 'personId', 'after'] as const;
type ListFilter = (typeof LIST_FILTERS)[number];

// One compiled statement per combination of filters present, built on first use.
const listStatement = compiledIsoRowsByShape((db, shape) => {
  const has = (filter: ListFilter) => shape.split(',').includes(filter);
  return db
    .select()
    .from(relationships)
    .where(
      and(
        eq(relationships.orgId, param('org')),
        has('self') ? or(eq(relationships.mentorId, param('self')), eq(relationships.menteeId, param('self'))) : undefined,
        has('programmeId') ? eq(relationships.programmeId, param('programmeId')) : undefined,
        has('stage') ? eq(relationships.stage, param('stage')) : undefined,
        has('status') ? eq(relationships.status, param('status') as 'active') : undefined,
        has('personId') ? or(eq(relationships.mentorId, param('personId')), eq(relationships.menteeId, param('personId'))) : undefined,
        has('after') ? gt(relationships.id, param('after')) : undefined,
      ),
    )
    .orderBy(asc(relationships.id))
    .limit(param<number>('limit'));
});

/** Members list only the relationships they are a party to, whatever filter they send. */
export async function listRelationships(ctx: Ctx, rawQuery: z.input<typeof ListRelationshipsQuery>): Promise<Page<Relationship>> {
  authorize(ctx.actor, 'listRelationships');
  const query = parseInput(ListRelationshipsQuery, rawQuery);
  let self: string | undefined;
  if (!seesWholeOrganisation(ctx.actor)) {
    self = (await actorPersonId(ctx)) ?? undefined;
    if (!self) return { items: [], nextCursor: null };
  }
  const filters = { org: ctx.actor.org, self, programmeId: query.programmeId, stage: query.stage, status: query.status, personId: query.personId };
  const page = await readPage({
    query,
    key: byId(relationships.id),
    rows: (after, limit) => {
      const values: Record<ListFilter | 'org' | 'limit', unknown> = { ...filters, after, limit };
      return listStatement(ctx.db, LIST_FILTERS.filter((filter) => values[filter] !== undefined).join(','), values);
    },
  });
  return { items: page.rows.map(presentRelationship), nextCursor: page.nextCursor };
}
