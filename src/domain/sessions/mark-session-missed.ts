import type { z } from 'zod';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { CloseSessionInput, type Session } from '../schemas/activity.ts';
import { parseInput } from '../validate.ts';
import { applySessionChange } from './change-session.ts';
import type { SessionIds } from './scoped-session.ts';

/** A planned session's time passed and it did not take place. Before its time, cancel it instead. */
export async function markSessionMissed(ctx: Ctx, rawInput: SessionIds & { miss?: z.input<typeof CloseSessionInput> }): Promise<Session> {
  authorize(ctx.actor, 'markSessionMissed');
  const input = parseInput(CloseSessionInput, rawInput.miss ?? {});
  return withAudit(ctx, { action: 'markSessionMissed', subjectType: 'session', subjectId: (session) => session.id }, (tx) => applySessionChange(tx, rawInput, 'miss', input));
}
