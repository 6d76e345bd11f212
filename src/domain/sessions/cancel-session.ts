import type { z } from 'zod';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { CloseSessionInput, type Session } from '../schemas/activity.ts';
import { parseInput } from '../validate.ts';
import { applySessionChange } from './change-session.ts';
import type { SessionIds } from './scoped-session.ts';

/** A planned session will not take place; the reason is optional. */
export async function cancelSession(ctx: Ctx, rawInput: SessionIds & { cancellation?: z.input<typeof CloseSessionInput> }): Promise<Session> {
  authorize(ctx.actor, 'cancelSession');
  const input = parseInput(CloseSessionInput, rawInput.cancellation ?? {});
  return withAudit(ctx, { action: 'cancelSession', subjectType: 'session', subjectId: (session) => session.id }, (tx) => applySessionChange(tx, rawInput, 'cancel', input));
}
