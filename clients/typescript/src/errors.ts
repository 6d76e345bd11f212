import type { components } from './generated/openapi.ts';

export type Problem = components['schemas']['Problem'];
export interface Blocker {
  code: string;
  message: string;
  guard: string;
  target?: { type: 'goal' | 'task'; id: string };
}

/**
 * A refusal from Tandem: its RFC 9457 problem document as an Error. `code` is the stable machine
 * code (`TRANSITION_BLOCKED`, `VERSION_CONFLICT`, …); `errors` lists every field that failed
 * validation; `blockers` says what still keeps a move from being made; `allowed` lists the moves
 * open instead of a refused one.
 */
export class TandemProblem extends Error {
  override readonly name = 'TandemProblem';
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly errors: { path: string; message: string }[];
  readonly blockers: Blocker[];
  readonly allowed: string[];
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
    this.code = problem.code;
    this.errors = problem.errors ?? [];
    this.blockers = Array.isArray(problem.blockers) ? (problem.blockers as Blocker[]) : [];
    this.allowed = Array.isArray(problem.allowed) ? (problem.allowed as string[]) : [];
  }
}

/** Thrown for an answer that is not a problem document (a proxy's HTML error page, say). */
export class TandemHttpError extends Error {
  override readonly name = 'TandemHttpError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
  }
}

/** The error of a failed answer: a TandemProblem when it is a problem document. */
export function errorOf(status: number, body: unknown): Error {
  if (typeof body === 'object' && body !== null && 'code' in body && 'type' in body) return new TandemProblem(body as Problem);
  return new TandemHttpError(status, typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * The data of an openapi-fetch call, or its problem thrown as a TandemProblem:
 *   const programme = await unwrap(tandem.POST('/v1/programmes', { body: { name: 'Pilot' } }));
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorOf(response.status, error);
  return data as NonNullable<T>;
}
