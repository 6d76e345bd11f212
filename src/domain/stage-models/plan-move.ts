import { evaluateGuards } from './guards.ts';
import type { GuardSnapshot, MovePlan, MoveTarget, NextStage, RelationshipPosition, StageModel } from './model.ts';

/** The moves open from the current position: the model's transitions in model order, then 'withdrawn'. */
export function allowedMoves(model: StageModel, current: RelationshipPosition): MoveTarget[] {
  if (current.status !== 'active') return [];
  const targets = model.transitions.filter((transition) => transition.from === current.stage).map((transition) => transition.to);
  return [...new Set([...targets, 'withdrawn'])];
}

/** Decides a move without doing it: refused, blocked by guards, or the position to write. */
export function planMove(
  model: StageModel,
  current: RelationshipPosition,
  to: MoveTarget,
  snapshot: GuardSnapshot,
  options: { override?: boolean } = {},
): MovePlan {
  if (current.status !== 'active') return { kind: 'not_allowed', allowed: [], reason: 'not_active' };
  const allowed = allowedMoves(model, current);
  if (!allowed.includes(to)) return { kind: 'not_allowed', allowed, reason: 'no_such_move' };
  if (to === 'withdrawn') return { kind: 'ok', toStage: current.stage, toStatus: 'withdrawn' };

  const guards = model.transitions.find((transition) => transition.from === current.stage && transition.to === to)?.guards ?? [];
  const blockers = options.override ? [] : evaluateGuards(guards, snapshot);
  if (blockers.length > 0) return { kind: 'blocked', blockers };
  if (to === 'completed' || to === 'declined') return { kind: 'ok', toStage: current.stage, toStatus: to };
  return { kind: 'ok', toStage: to, toStatus: 'active' };
}

/** Every open move with whether it could be made now and, if not, what is still missing. */
export function nextStages(model: StageModel, current: RelationshipPosition, snapshot: GuardSnapshot): NextStage[] {
  return allowedMoves(model, current).map((stage) => {
    const plan = planMove(model, current, stage, snapshot);
    return { stage, allowed: plan.kind === 'ok', blockers: plan.kind === 'blocked' ? plan.blockers : [] };
  });
}
