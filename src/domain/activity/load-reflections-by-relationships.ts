import { reflections } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { readByRelationships } from '../relationships/visibility.ts';
import type { Reflection } from '../schemas/activity.ts';
import { presentReflection } from './present-reflection.ts';

const reflectionsOf = readByRelationships(reflections, reflections.relationshipId);

/** The reflections of many relationships at once, of those the caller may see (GraphQL's loaders). */
export async function loadReflectionsByRelationships(ctx: Ctx, input: { relationshipIds: string[] }): Promise<Reflection[]> {
  authorize(ctx.actor, 'listReflections');
  return (await reflectionsOf(ctx, input.relationshipIds)).map(presentReflection);
}
