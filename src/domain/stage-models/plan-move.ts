import { evaluateGuards } from './guards.ts';
import type { GuardName } from '../../vocabulary.ts';
import type { GuardSnapshot, MovePlan, MoveTarget, NextStage, RelationshipPosition, StageModel } from './model.ts';

/** The moves open from the current position: the model's transitions in model order, then 'withdrawn'. */
export function allowedMoves(model: StageModel, current: RelationshipPosition): MoveTarget[] {
  if (current.status !== 'active') return [];
  const targets = model.transitions.filter((transition) => transition.from === current.stage).map((transition) => transition.to);
  return [...new Set([...targets, 'withdrawn'])];
}

/**
 * The guards a move must pass from where the relationship stands: none when the move is not open,
 * withdraws, or is overridden. A caller that gets none need not gather a guard snapshot at all.
 */
export function guardsOfMove(model: StageModel, current: RelationshipPosition, to: MoveTarget, options: { override?: boolean } = {}): readonly GuardName[] {
  if (options.override || to === 'withdrawn' || !allowedMoves(model, current).includes(to)) return [];
  return model.transitions.find((transition) => transition.from === current.stage && transition.to === to)?.guards ?? [];
}

/**
 * Decides a move without doing it: refused, blocked by guards, or the position to write.
 * `snapshot` may be null only when guardsOfMove names no guard for this move.
 */
export function planMove(
  model: StageModel,
  current: RelationshipPosition,
  to: MoveTarget,
  snapshot: GuardSnapshot | null,
  options: { override?: boolean } = {},
): MovePlan {
  if (current.status !== 'active') return { kind: 'not_allowed', allowed: [], reason: 'not_active' };
  const allowed = allowedMoves(model, current);
  if (!allowed.includes(to)) return { kind: 'not_allowed', allowed, reason: 'no_such_move' };
  if (to === 'withdrawn') return { kind: 'ok', toStage: current.stage, toStatus: 'withdrawn' };

  const guards = guardsOfMove(model, current, to, options);
  if (guards.length > 0) {
    if (!snapshot) throw new Error(`planMove: ${current.stage} → ${to} has guards, so it needs a guard snapshot`);
    const blockers = evaluateGuards(guards, snapshot);
    if (blockers.length > 0) return { kind: 'blocked', blockers };
  }
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
