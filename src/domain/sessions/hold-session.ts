import type { z } from 'zod';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { HoldSessionInput, type Session } from '../schemas/activity.ts';
import { parseInput } from '../validate.ts';
import { applySessionChange } from './change-session.ts';
import type { SessionIds } from './scoped-session.ts';

/** A planned session took place: when (never in the future), how long, notes for both. */
export async function holdSession(ctx: Ctx, rawInput: SessionIds & { held?: z.input<typeof HoldSessionInput> }): Promise<Session> {
  authorize(ctx.actor, 'holdSession');
  const input = parseInput(HoldSessionInput, rawInput.held ?? {});
  return withAudit(ctx, { action: 'holdSession', subjectType: 'session', subjectId: (session) => session.id }, (tx) =>
    applySessionChange(tx, rawInput, 'hold', { ...input, ...(input.heldAt ? { heldAt: new Date(input.heldAt) } : { heldAt: undefined }) }),
  );
}
