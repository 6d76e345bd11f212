import highsPackage from 'highs';

// highs is CommonJS whose types declare an ES default export; at run time Node's default import is the loader itself.
type HighsLoader = typeof import('highs').default;
const highsLoader = ((highsPackage as unknown as { default?: HighsLoader }).default ?? highsPackage) as unknown as HighsLoader;

/** A mentee–mentor pair the model may choose, by index into the mentees and the mentors, with its score. */
export interface Candidate {
  mentee: number;
  mentor: number;
  score: number;
}

export interface AssignmentProblem {
  menteeCount: number;
  /** How many more mentees each mentor may take. */
  capacities: number[];
  /** Only these pairs exist: exclusions are left out, not forbidden by a row. */
  candidates: Candidate[];
}

export interface Assignment {
  /** Indexes into `candidates` of the chosen pairs. */
  chosen: number[];
  objective: number;
  /** The objective of greedyAssignment, the baseline a run reports against. */
  greedyObjective: number;
  /** Whether HiGHS' LP answer was integral (it is, the matrix being totally unimodular); if not, it was solved again as a MIP. */
  integral: boolean;
  modelMs: number;
  solveMs: number;
}

let loading: ReturnType<typeof highsLoader> | undefined;
const solver = () => (loading ??= highsLoader());

/**
 * The CPLEX LP text of the assignment: maximise the total score, each mentee at most one mentor,
 * each mentor at most their capacity. `binary` declares the variables binary (a MIP).
 */
export function assignmentModel(problem: AssignmentProblem, binary = false): string {
  const lines: string[] = ['Maximize', ' obj:'];
  let term: string[] = [];
  const flush = (into: string[]) => {
    if (term.length) into.push(`  ${term.join(' ')}`);
    term = [];
  };
  problem.candidates.forEach((candidate, i) => {
    term.push(`+ ${candidate.score.toFixed(9)} x${i}`);
    if (term.length === 20) flush(lines);
  });
  flush(lines);
  if (problem.candidates.length === 0) lines.push('  0 x0');
  lines.push('Subject To');
  const byMentee: number[][] = Array.from({ length: problem.menteeCount }, () => []);
  const byMentor: number[][] = problem.capacities.map(() => []);
  problem.candidates.forEach((candidate, i) => {
    byMentee[candidate.mentee]!.push(i);
    byMentor[candidate.mentor]!.push(i);
  });
  const row = (name: string, vars: number[], bound: number) => {
    lines.push(` ${name}:`);
    for (let at = 0; at < vars.length; at += 20) lines.push(`  ${vars.slice(at, at + 20).map((v) => `+ x${v}`).join(' ')}`);
    lines.push(`  <= ${bound}`);
  };
  byMentee.forEach((vars, m) => vars.length > 1 && row(`e${m}`, vars, 1));
  byMentor.forEach((vars, m) => vars.length > 0 && row(`r${m}`, vars, problem.capacities[m]!));
  lines.push('Bounds');
  const count = Math.max(problem.candidates.length, 1);
  for (let i = 0; i < count; i++) lines.push(` 0 <= x${i} <= 1`);
  if (binary) {
    lines.push('Binary');
    for (let i = 0; i < count; i++) lines.push(` x${i}`);
  }
  lines.push('End');
  return lines.join('\n');
}

const EPSILON = 1e-6;

/**
 * The best assignment by HiGHS (WebAssembly), on this thread: it holds the thread until HiGHS is
 * done (solve-assignment.ts runs it in the solver's worker thread). Solved as an LP, whose optimum is
 * integral for this matrix; the values are checked, and a fractional answer (never seen) is solved
 * again with binaries. The greedy baseline is computed beside it.
 */
export async function solveAssignmentInThread(problem: AssignmentProblem): Promise<Assignment> {
  const highs = await solver();
  let integral = true;
  for (const binary of [false, true]) {
    const modelStart = performance.now();
    const model = assignmentModel(problem, binary);
    const solveStart = performance.now();
    const solution = highs.solve(model);
    const solveEnd = performance.now();
    if (solution.Status !== 'Optimal') throw new Error(`HiGHS answered ${solution.Status}`);
    const chosen: number[] = [];
    let fractional = false;
    problem.candidates.forEach((_, i) => {
      const value = solution.Columns[`x${i}`]?.Primal ?? 0;
      if (value > 1 - EPSILON) chosen.push(i);
      else if (value > EPSILON) fractional = true;
    });
    if (fractional && !binary) {
      integral = false;
      continue;
    }
    const objective = chosen.reduce((sum, i) => sum + problem.candidates[i]!.score, 0);
    return { chosen, objective, greedyObjective: greedyAssignment(problem).objective, integral, modelMs: solveStart - modelStart, solveMs: solveEnd - solveStart };
  }
  throw new Error('unreachable');
}

/** The greedy baseline: best-scoring pairs first while the mentee is free and the mentor has room. */
export function greedyAssignment(problem: AssignmentProblem): { chosen: number[]; objective: number } {
  const order = problem.candidates.map((_, i) => i).sort((a, b) => problem.candidates[b]!.score - problem.candidates[a]!.score);
  const taken = new Set<number>();
  const room = [...problem.capacities];
  const chosen: number[] = [];
  let objective = 0;
  for (const i of order) {
    const { mentee, mentor, score } = problem.candidates[i]!;
    if (taken.has(mentee) || room[mentor]! <= 0) continue;
    taken.add(mentee);
    room[mentor]!--;
    chosen.push(i);
    objective += score;
  }
  return { chosen, objective };
}
