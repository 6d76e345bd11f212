import type { Database } from '../db/client.ts';
import { recordAudit } from './audit/audit-log.ts';
import { exchangeClientCredentials, isClientActive } from './clients/client-credentials.ts';
import { isDataException } from '../db/errors.ts';
import { withTransaction, type Actor, type Clock, type Ctx } from './context.ts';
import { invalid } from './errors.ts';
import { useCases } from './use-cases.ts';

type UseCase = (ctx: Ctx, input: never) => Promise<unknown>;
type Bound<F> = F extends (ctx: Ctx, input: infer I) => Promise<infer O> ? (actor: Actor, input: I) => Promise<O> : never;
export type Services = { [K in keyof typeof useCases]: Bound<(typeof useCases)[K]> };

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

function subjectIdOf(result: unknown): string | null {
  const value = result as { id?: unknown; person?: { id?: unknown } } | null;
  const id = value?.id ?? value?.person?.id;
  return typeof id === 'string' ? id : null;
}

/** Whatever input validation missed and PostgreSQL refuses as data is the caller's error, not ours. */
async function asInputError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isDataException(error)) throw invalid('A value in the request cannot be stored (for example a NUL character or an out-of-range number).');
    throw error;
  }
}

/** Binds every use case to the database and clock, so transports pass only the caller and the input. */
export function createServices(deps: { db: Database; clock: Clock }): Services {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(useCases) as [keyof typeof useCases, UseCase][]) {
    const subjectType = AUDITED[name];
    bound[name] = subjectType
      ? (actor: Actor, input: never) =>
          asInputError(
            withTransaction({ db: deps.db, clock: deps.clock, actor }, async (tx) => {
              const result = await useCase(tx, input);
              await recordAudit(tx, { action: name, subjectType, subjectId: subjectIdOf(result) });
              return result;
            }),
          )
      : (actor: Actor, input: never) => asInputError(useCase({ db: deps.db, clock: deps.clock, actor }, input));
  }
  return bound as Services;
}

/** The two use cases of client authentication, which run before there is a caller. */
export function createAuthServices(deps: { db: Database; clock: Clock }) {
  return {
    exchangeClientCredentials: (input: { clientId: string; clientSecret: string; scope?: string }) => asInputError(exchangeClientCredentials(deps, input)),
    isClientActive: (actor: Actor) => asInputError(isClientActive(deps, actor)),
  };
}
export type AuthServices = ReturnType<typeof createAuthServices>;
