import { authorize } from '../permissions.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import type { Relationship } from '../schemas/relationship.ts';
import { presentRelationship } from './present-relationship.ts';

export async function getRelationship(ctx: Ctx, input: { id: string }): Promise<Relationship> {
  authorize(ctx.actor, 'getRelationship');
  return presentRelationship((await loadRelationship(ctx, input.id)).row);
}
