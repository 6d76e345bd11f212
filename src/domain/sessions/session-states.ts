import type { SessionStatus } from '../../vocabulary.ts';

/**
 * The life of a session, pure: planned → held | cancelled | missed, and nothing after that.
 * A session logged after the fact starts as held. The use cases ask this module what a change
 * means and carry it out; the property test (test/domain/session-states.test.ts) checks them
 * against a reference model of its own.
 */
export const SESSION_MOVES: Record<SessionStatus, readonly SessionStatus[]> = {
  planned: ['held', 'cancelled', 'missed'],
  held: [],
  cancelled: [],
  missed: [],
};

export type SessionAction = 'hold' | 'cancel' | 'miss';
const TARGET: Record<SessionAction, SessionStatus> = { hold: 'held', cancel: 'cancelled', miss: 'missed' };

/**
 * Client and server clocks differ a little: a meeting reported as held "now" by a client whose
 * clock runs a few seconds ahead is not a meeting in the future.
 */
export const CLOCK_TOLERANCE_MS = 60_000;

export type SessionRefusal =
  | { kind: 'bad_input'; path: string; message: string }
  | { kind: 'conflict'; message: string; details: Record<string, unknown> };

/** Why a meeting said to be held at `heldAt` cannot be: in the future. */
export function heldInFuture(heldAt: Date, now: Date): SessionRefusal | null {
  if (heldAt.getTime() <= now.getTime() + CLOCK_TOLERANCE_MS) return null;
  return { kind: 'bad_input', path: 'heldAt', message: `A session cannot be held in the future: ${heldAt.toISOString()} is after now (${now.toISOString()}). Plan it instead.` };
}

/** Why a session cannot be planned at `plannedAt`: in the past. */
export function plannedInPast(plannedAt: Date, now: Date): SessionRefusal | null {
  if (plannedAt.getTime() >= now.getTime() - CLOCK_TOLERANCE_MS) return null;
  return {
    kind: 'bad_input',
    path: 'plannedAt',
    message: `A session is planned for the future: ${plannedAt.toISOString()} has passed (now ${now.toISOString()}). Log a past meeting as held instead.`,
  };
}

export interface SessionFacts {
  status: SessionStatus;
  plannedAt: Date | null;
}

export type SessionChange = { ok: true; to: SessionStatus; heldAt?: Date } | { ok: false; refusal: SessionRefusal };

/**
 * What `action` does to a session now. Holding takes `heldAt` when given; otherwise the planned
 * time if it has passed, else now (the pair met early).
 */
export function changeSession(session: SessionFacts, action: SessionAction, now: Date, heldAt?: Date): SessionChange {
  if (action === 'hold' && heldAt) {
    const future = heldInFuture(heldAt, now);
    if (future) return { ok: false, refusal: future };
  }
  const to = TARGET[action];
  if (!SESSION_MOVES[session.status].includes(to)) {
    return {
      ok: false,
      refusal: { kind: 'conflict', message: `The session is ${session.status}; only a planned session can be marked ${to}.`, details: { sessionStatus: session.status, allowed: SESSION_MOVES[session.status] } },
    };
  }
  if (action === 'miss' && session.plannedAt && session.plannedAt.getTime() > now.getTime()) {
    return {
      ok: false,
      refusal: { kind: 'conflict', message: `The session is planned for ${session.plannedAt.toISOString()}, which has not come yet: cancel it instead.`, details: { sessionStatus: session.status } },
    };
  }
  if (action !== 'hold') return { ok: true, to };
  const defaultHeldAt = session.plannedAt && session.plannedAt.getTime() <= now.getTime() ? session.plannedAt : now;
  return { ok: true, to, heldAt: heldAt ?? defaultHeldAt };
}
