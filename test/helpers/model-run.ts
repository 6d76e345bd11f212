import { DomainError } from '../../src/domain/errors.ts';
import type { Actor } from '../../src/domain/context.ts';
import { createServices, type Services } from '../../src/domain/services.ts';
import { uniqueOrg } from './app.ts';
import { freshDatabase } from './database.ts';
import { personInput } from './fixtures.ts';

/**
 * The harness of the model-based domain tests (fast-check's asyncModelRun): a fresh database torn down
 * with the test, the domain's use cases under the test's clock, and a new organisation with a pair
 * for each run, so the reference model and the real use cases start from the same state.
 */
export async function modelHarness(t: { teardown: (fn: () => Promise<void>) => void }, clock: () => Date = () => new Date()) {
  const { database, drop } = await freshDatabase();
  t.teardown(drop);
  const services = createServices({ db: database.db, clock });
  /** A new organisation's admin, a programme, and a relationship in its first stage. */
  async function openPair(orgPrefix: string): Promise<{ actor: Actor; relationshipId: string }> {
    const actor: Actor = { sub: 'model-admin', org: uniqueOrg(orgPrefix), roles: ['admin'] };
    const programme = await services.createProgramme(actor, { name: 'Model programme' });
    const mentor = await services.createPerson(actor, personInput());
    const mentee = await services.createPerson(actor, personInput());
    const rel = await services.openRelationship(actor, { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion to team lead' });
    return { actor, relationshipId: rel.id };
  }
  return { database, services, openPair };
}

/** A use case's result, or the domain's refusal code: the model says which to expect. */
export async function outcome<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, code: error.code };
    throw error;
  }
}

export type { Services };
