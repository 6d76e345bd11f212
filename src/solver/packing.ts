import type { Assignment, AssignmentProblem } from './highs-solve.ts';

/** An assignment problem as typed arrays: moved to the solver's thread without copying an object per pair. */
export interface PackedProblem {
  menteeCount: number;
  capacities: Float64Array;
  mentees: Int32Array;
  mentors: Int32Array;
  scores: Float64Array;
}

export interface SolveRequest {
  id: number;
  problem: PackedProblem;
}

export type SolveReply = { id: number; ok: true; assignment: Omit<Assignment, 'chosen'> & { chosen: Int32Array } } | { id: number; ok: false; message: string };

export function packProblem(problem: AssignmentProblem): { packed: PackedProblem; transfer: ArrayBuffer[] } {
  const n = problem.candidates.length;
  const packed: PackedProblem = {
    menteeCount: problem.menteeCount,
    capacities: Float64Array.from(problem.capacities),
    mentees: new Int32Array(n),
    mentors: new Int32Array(n),
    scores: new Float64Array(n),
  };
  problem.candidates.forEach((candidate, i) => {
    packed.mentees[i] = candidate.mentee;
    packed.mentors[i] = candidate.mentor;
    packed.scores[i] = candidate.score;
  });
  return { packed, transfer: [packed.capacities.buffer, packed.mentees.buffer, packed.mentors.buffer, packed.scores.buffer] as ArrayBuffer[] };
}

export function unpackProblem(packed: PackedProblem): AssignmentProblem {
  const candidates = Array.from(packed.scores, (score, i) => ({ mentee: packed.mentees[i]!, mentor: packed.mentors[i]!, score }));
  return { menteeCount: packed.menteeCount, capacities: Array.from(packed.capacities), candidates };
}
