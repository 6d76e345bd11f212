import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';

import type { Ctx } from '../context.ts';
import { invalid } from '../errors.ts';
import { OpenRelationshipInput, type Relationship } from '../schemas/relationship.ts';
import { parseInput } from '../validate.ts';
import { openPair } from './open-pair.ts';

export async function openRelationship(ctx: Ctx, rawInput: z.input<typeof OpenRelationshipInput>): Promise<Relationship> {
  authorize(ctx.actor, 'openRelationship');
  const input = parseInput(OpenRelationshipInput, rawInput);
  if (input.mentorId === input.menteeId) {
    throw invalid('A person cannot mentor themselves.', [{ path: 'menteeId', message: 'must differ from mentorId' }]);
  }
  return withAudit(ctx, { action: 'openRelationship', subjectType: 'relationship', subjectId: (relationship) => relationship.id }, (tx) => openPair(tx, input));
}
