import type { Ctx } from './context.ts';
import { authorize } from './permissions.ts';
import type { Viewer } from './schemas/viewer.ts';
import type { z } from 'zod';

export async function getViewer(ctx: Ctx, _input: Record<string, never> = {}): Promise<z.infer<typeof Viewer>> {
  authorize(ctx.actor, 'getViewer');
  return { sub: ctx.actor.sub, org: ctx.actor.org, roles: ctx.actor.roles };
}
