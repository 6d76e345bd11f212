import type { Database } from '../db/client.ts';
import { exchangeClientCredentials, isClientActive } from './clients/client-credentials.ts';
import { asInputError, bindUseCases, type BoundUseCases } from './bind-use-cases.ts';
import type { Actor, Clock, Ctx } from './context.ts';
import { useCases } from './use-cases.ts';

export type Services = BoundUseCases<Ctx, typeof useCases>;

/** Every change is audited, in its own transaction: what kind of object each use case changes. */
const AUDITED: Partial<Record<keyof typeof useCases, string>> = {
  createProgramme: 'programme',
  createPerson: 'person',
  upsertPerson: 'person',
  batchUpsertPeople: 'people',
  updatePerson: 'person',
  openRelationship: 'relationship',
  acceptFit: 'relationship',
  setAgreement: 'relationship',
  transitionRelationship: 'relationship',
  createGoal: 'goal',
  updateGoal: 'goal',
  agreeGoal: 'goal',
  achieveGoal: 'goal',
  dropGoal: 'goal',
  completeMilestone: 'goal',
  logSession: 'session',
  recordReflection: 'reflection',
  createClient: 'client',
  revokeClient: 'client',
};

/** Binds every use case to the database and clock, so transports pass only the caller and the input. */
export function createServices(deps: { db: Database; clock: Clock }): Services {
  return bindUseCases(useCases, (actor) => ({ db: deps.db, clock: deps.clock, actor }), AUDITED);
}

/** The two use cases of client authentication, which run before there is a caller. */
export function createAuthServices(deps: { db: Database; clock: Clock }) {
  return {
    exchangeClientCredentials: (input: { clientId: string; clientSecret: string; scope?: string }) => asInputError(exchangeClientCredentials(deps, input)),
    isClientActive: (actor: Actor) => asInputError(isClientActive(deps, actor)),
  };
}
export type AuthServices = ReturnType<typeof createAuthServices>;
