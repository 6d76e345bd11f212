import { END_STATUSES, GUARDS, type GuardName } from '../../vocabulary.ts';
import { TRANSITION_END_TARGETS, type StageModel, type StageTransition } from './model.ts';

export interface StageModelProblem {
  code: string;
  message: string;
  path?: string;
}

export type StageModelValidation = { ok: true; model: StageModel } | { ok: false; problems: StageModelProblem[] };

const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
const STAGE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_STAGES = 20;
const MAX_NAME_LENGTH = 100;

/** Checks a custom model and reports every problem found, not just the first. */
export function validateStageModel(input: unknown): StageModelValidation {
  if (!isRecord(input)) {
    return { ok: false, problems: [{ code: 'INVALID_MODEL', message: 'A stage model is an object with key, name, start, stages and transitions.' }] };
  }
  const problems: StageModelProblem[] = [];
  const report = (code: string, message: string, path?: string) => problems.push(path === undefined ? { code, message } : { code, message, path });

  const { key, name } = input;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    report('INVALID_KEY', `Key ${JSON.stringify(key)} must be 2 to 40 lowercase letters, digits or hyphens, not starting with a hyphen.`, 'key');
  }
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    report('INVALID_NAME', `Name must be a non-blank text of at most ${MAX_NAME_LENGTH} characters.`, 'name');
  }
  const stages = checkStages(input.stages, report);
  const start = typeof input.start === 'string' && stages.includes(input.start) ? input.start : undefined;
  if (start === undefined) report('UNKNOWN_START_STAGE', `Start stage ${JSON.stringify(input.start)} is not one of the stages.`, 'start');
  const transitions = checkTransitions(input.transitions, stages, report);
  checkSoundness(stages, start, transitions, report);

  if (problems.length > 0) return { ok: false, problems };
  // Rebuilt field by field so unknown properties never reach the jsonb column.
  return { ok: true, model: { key: key as string, name: name as string, start: start as string, stages, transitions } };
}

type Report = (code: string, message: string, path?: string) => void;

/** Returns the usable stage names (unique, not reserved) so later checks can refer to them. */
function checkStages(input: unknown, report: Report): string[] {
  if (!Array.isArray(input)) {
    report('INVALID_STAGES', 'Stages must be a list of stage names.', 'stages');
    return [];
  }
  if (input.length === 0 || input.length > MAX_STAGES) {
    report('STAGE_COUNT_OUT_OF_RANGE', `A model has 1 to ${MAX_STAGES} stages; this one has ${input.length}.`, 'stages');
  }
  const stages: string[] = [];
  input.forEach((stage: unknown, index) => {
    const path = `stages[${index}]`;
    if (typeof stage !== 'string') return report('INVALID_STAGE_NAME', `Stage ${JSON.stringify(stage)} is not a name.`, path);
    if ((END_STATUSES as readonly string[]).includes(stage)) {
      return report('RESERVED_STAGE_NAME', `Stage "${stage}" uses the name of an end status (${END_STATUSES.join(', ')}).`, path);
    }
    if (!STAGE_NAME_PATTERN.test(stage)) {
      report('INVALID_STAGE_NAME', `Stage "${stage}" must be 1 to 40 lowercase letters, digits or underscores, starting with a letter.`, path);
    }
    if (stages.includes(stage)) return report('DUPLICATE_STAGE', `Stage "${stage}" is listed more than once.`, path);
    stages.push(stage);
  });
  return stages;
}

/** Returns the transitions whose both ends are known, for the soundness check. */
function checkTransitions(input: unknown, stages: string[], report: Report): StageTransition[] {
  if (!Array.isArray(input)) {
    report('INVALID_TRANSITIONS', 'Transitions must be a list of { from, to, guards }.', 'transitions');
    return [];
  }
  const usable: StageTransition[] = [];
  const seen = new Set<string>();
  input.forEach((transition: unknown, index) => {
    const path = `transitions[${index}]`;
    if (!isRecord(transition)) return report('INVALID_TRANSITION', 'A transition is an object { from, to, guards }.', path);
    const { from, to } = transition;
    const label = `${String(from)} → ${String(to)}`;
    let usableEnds = true;
    if (typeof from !== 'string' || !stages.includes(from)) {
      report('UNKNOWN_FROM_STAGE', `Transition ${label} starts from "${String(from)}", which is not a stage.`, `${path}.from`);
      usableEnds = false;
    }
    if (to === 'withdrawn') {
      report('IMPLICIT_WITHDRAWAL', `Transition ${label} must not be listed: withdrawing is always allowed from every stage.`, `${path}.to`);
      usableEnds = false;
    } else if (typeof to !== 'string' || !(stages.includes(to) || (TRANSITION_END_TARGETS as readonly string[]).includes(to))) {
      report('UNKNOWN_TO_STAGE', `Transition ${label} leads to "${String(to)}", which is neither a stage nor completed/declined.`, `${path}.to`);
      usableEnds = false;
    }
    if (from === to) report('SELF_LOOP', `Transition ${label} leads from stage "${String(from)}" back to itself.`, path);
    if (seen.has(label)) report('DUPLICATE_TRANSITION', `Transition ${label} is listed more than once.`, path);
    seen.add(label);
    const guards = checkGuards(transition.guards, label, `${path}.guards`, report);
    if (usableEnds) usable.push({ from: from as string, to: to as string, guards });
  });
  return usable;
}

function checkGuards(input: unknown, label: string, path: string, report: Report): GuardName[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    report('INVALID_GUARDS', `Guards of transition ${label} must be a list of guard names.`, path);
    return [];
  }
  const guards: GuardName[] = [];
  input.forEach((guard: unknown, index) => {
    if (!isGuardName(guard)) {
      return report('UNKNOWN_GUARD', `Guard "${String(guard)}" on transition ${label} is not in the catalogue (${GUARDS.join(', ')}).`, `${path}[${index}]`);
    }
    if (guards.includes(guard)) return report('DUPLICATE_GUARD', `Guard "${guard}" is listed twice on transition ${label}.`, `${path}[${index}]`);
    guards.push(guard);
  });
  return guards;
}

function checkSoundness(stages: string[], start: string | undefined, transitions: StageTransition[], report: Report): void {
  if (start !== undefined) {
    const reached = reachableFrom(start, transitions, (t) => [t.from, t.to]);
    for (const [index, stage] of stages.entries()) {
      if (!reached.has(stage)) report('UNREACHABLE_STAGE', `Stage "${stage}" cannot be reached from the start stage "${start}".`, `stages[${index}]`);
    }
  }
  const canComplete = reachableFrom('completed', transitions, (t) => [t.to, t.from]);
  for (const [index, stage] of stages.entries()) {
    if (!canComplete.has(stage)) report('NO_PATH_TO_COMPLETION', `Stage "${stage}" has no path to completed.`, `stages[${index}]`);
  }
}

/** Breadth-first search; `edge` orients a transition, so the same walk serves both directions. */
function reachableFrom(origin: string, transitions: StageTransition[], edge: (t: StageTransition) => [string, string]): Set<string> {
  const reached = new Set([origin]);
  const queue = [origin];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const transition of transitions) {
      const [tail, head] = edge(transition);
      if (tail === node && !reached.has(head)) {
        reached.add(head);
        queue.push(head);
      }
    }
  }
  return reached;
}

function isGuardName(value: unknown): value is GuardName {
  return typeof value === 'string' && (GUARDS as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
