import { relationships } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import type { Relationship } from '../schemas/relationship.ts';
import { presentRelationship } from './present-relationship.ts';
import { readByRelationships } from './visibility.ts';

/** The rows of the relationships among the ids the caller may see, in one statement: the others are simply absent. */
export const visibleRelationshipRows = readByRelationships(relationships, relationships.id);

/** Relationships by id, many at once, with the single read's permission and member rule (GraphQL's loaders). */
export async function loadRelationshipsByIds(ctx: Ctx, input: { ids: string[] }): Promise<Relationship[]> {
  authorize(ctx.actor, 'getRelationship');
  return (await visibleRelationshipRows(ctx, input.ids)).map(presentRelationship);
}
