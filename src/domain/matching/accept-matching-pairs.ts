import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { matchingPairs, relationships } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, conflict, invalid } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { openPair } from '../relationships/open-pair.ts';
import { AcceptMatchingPairsInput, type MatchingAcceptance } from '../schemas/matching.ts';
import { parseInput } from '../validate.ts';
import { loadMatchingRun } from './load-matching-run.ts';

/**
 * Accepts all or some pairs of a run: each opens its relationship (openPair: capacity, activity
 * and duplicates checked again, history and relationship.opened event), all in one transaction.
 * One pair that can no longer be opened refuses the whole acceptance, naming the pair and why.
 */
export async function acceptMatchingPairs(ctx: Ctx, rawInput: { programmeId: string; runId: string } & z.input<typeof AcceptMatchingPairsInput>): Promise<MatchingAcceptance> {
  authorize(ctx.actor, 'acceptMatchingPairs');
  const { programmeId, runId, ...body } = rawInput;
  const input = parseInput(AcceptMatchingPairsInput, body);
  return withAudit(ctx, { action: 'acceptMatchingPairs', subjectType: 'matching_run', subjectId: (result) => result.runId }, async (tx) => {
    // Locking the run serialises two acceptances of it.
    const { run, pairs } = await loadMatchingRun(tx, programmeId, runId, { lock: true });
    if (run.status !== 'completed') throw conflict(`The run is ${run.status}; only a completed run can be accepted.`, { reason: 'RUN_NOT_COMPLETED' });
    const byId = new Map(pairs.map((pair) => [pair.id, pair]));
    const unknown = (input.pairIds ?? []).filter((id) => !byId.has(id));
    if (unknown.length) throw invalid('Some pairs are not part of this run.', unknown.map((id) => ({ path: 'pairIds', message: `no pair ${id} in run ${run.id}` })));
    const chosen = input.pairIds ? [...new Set(input.pairIds)].map((id) => byId.get(id)!) : pairs.filter((pair) => !pair.acceptedAt);
    const accepted = chosen.filter((pair) => pair.acceptedAt);
    if (accepted.length) throw conflict(`Pair ${accepted[0]!.id} was accepted already.`, { reason: 'PAIR_ALREADY_ACCEPTED', pairIds: accepted.map((pair) => pair.id) });
    if (chosen.length === 0) throw conflict('Every pair of this run was accepted already.', { reason: 'PAIR_ALREADY_ACCEPTED', pairIds: [] });

    const matchedSince = await tx.db
      .select({ menteeId: relationships.menteeId })
      .from(relationships)
      .where(
        and(
          eq(relationships.orgId, tx.actor.org),
          eq(relationships.programmeId, run.programmeId),
          eq(relationships.status, 'active'),
          inArray(relationships.menteeId, chosen.map((pair) => pair.menteeId)),
        ),
      );
    if (matchedSince.length) {
      const taken = new Set(matchedSince.map((row) => row.menteeId));
      const pairIds = chosen.filter((pair) => taken.has(pair.menteeId)).map((pair) => pair.id);
      throw conflict(`Pair ${pairIds[0]}: the mentee has an active relationship in this programme since the run.`, { reason: 'MENTEE_ALREADY_MATCHED', pairIds });
    }

    const opened = [];
    const now = tx.clock();
    for (const pair of chosen) {
      const relationship = await openPair(tx, { programmeId: run.programmeId, mentorId: pair.mentorId, menteeId: pair.menteeId, aspiration: null }).catch((error: unknown) => {
        if (error instanceof DomainError) throw new DomainError(error.code, `Pair ${pair.id}: ${error.message}`, { ...error.details, pairIds: [pair.id] });
        throw error;
      });
      await tx.db
        .update(matchingPairs)
        .set({ relationshipId: relationship.id, acceptedAt: now })
        .where(and(eq(matchingPairs.orgId, tx.actor.org), eq(matchingPairs.id, pair.id)));
      opened.push(relationship);
    }
    return { runId: run.id, relationships: opened };
  });
}
