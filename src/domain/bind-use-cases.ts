import { isDataException } from '../db/errors.ts';
import { recordAudit } from './audit/audit-log.ts';
import { withTransaction, type Actor, type Ctx } from './context.ts';
import { invalid } from './errors.ts';

type UseCase<C extends Ctx> = (ctx: C, input: never) => Promise<unknown>;
export type Bound<C extends Ctx, F> = F extends (ctx: C, input: infer I) => Promise<infer O> ? (actor: Actor, input: I) => Promise<O> : never;
export type BoundUseCases<C extends Ctx, U> = { [K in keyof U]: Bound<C, U[K]> };

/** Whatever input validation missed and PostgreSQL refuses as data is the caller's error, not ours. */
export async function asInputError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isDataException(error)) throw invalid('A value in the request cannot be stored (for example a NUL character or an out-of-range number).');
    throw error;
  }
}

function subjectIdOf(input: unknown, result: unknown): string | null {
  const value = result as { id?: unknown; eventId?: unknown; person?: { id?: unknown } } | null;
  const given = input as { id?: unknown; eventId?: unknown } | null;
  const id = value?.id ?? value?.person?.id ?? value?.eventId ?? given?.id ?? given?.eventId;
  return typeof id === 'string' ? id : null;
}

/**
 * Binds use cases to their context so transports pass only the caller and the input. A use case
 * named in `audited` runs in one transaction with its audit row: the change and its record commit together.
 */
export function bindUseCases<C extends Ctx, U extends Record<string, UseCase<C>>>(
  useCases: U,
  contextFor: (actor: Actor) => C,
  audited: Partial<Record<keyof U, string>>,
): BoundUseCases<C, U> {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(useCases) as [keyof U & string, UseCase<C>][]) {
    const subjectType = audited[name];
    bound[name] = subjectType
      ? (actor: Actor, input: never) =>
          asInputError(
            withTransaction(contextFor(actor), async (tx) => {
              const result = await useCase(tx as C, input);
              await recordAudit(tx, { action: name, subjectType, subjectId: subjectIdOf(input, result) });
              return result;
            }),
          )
      : (actor: Actor, input: never) => asInputError(useCase(contextFor(actor), input));
  }
  return bound as BoundUseCases<C, U>;
}
