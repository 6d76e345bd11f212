import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { MatchingFactorResult } from '../../db/schema.ts';
import type { UnmatchedReason } from '../../vocabulary.ts';
import { solveAssignment, type Assignment, type AssignmentProblem, type Candidate } from '../../solver/solve-assignment.ts';
import type { MenteeProfile, MentorProfile } from './factors.ts';
import { exclusionsOf, scoreOnly, scorePair, type PairHistory } from './score.ts';
import type { MatchingSettings } from './settings.ts';

export interface PlannedPair {
  menteeId: string;
  mentorId: string;
  score: number;
  factors: MatchingFactorResult[];
}

export interface MatchingPlan {
  pairs: PlannedPair[];
  unmatched: { menteeId: string; reason: UnmatchedReason; message: string }[];
  objective: number;
  greedyObjective: number;
  integral: boolean;
  timings: { scoringMs: number; modelMs: number; solveMs: number };
  candidateCount: number;
}

const round = (score: number) => Math.round(score * 1e4) / 1e4;

/**
 * Scoring yields to the event loop after about this many pairs (a few milliseconds of work), so a
 * run of 10,000 × 10,000 leaves requests answered meanwhile; HiGHS solves in the solver's thread.
 */
export const PAIRS_PER_TURN = 5000;

/**
 * The programme-wide match: every mentee scored against every mentor, each mentee's best k
 * eligible mentors at or above the minimum score kept, and the assignment of the greatest
 * total score under the mentors' remaining capacities solved by HiGHS. Pure but for the solver
 * (its worker thread unless another `solve` is given). Scoring yields to the event loop between chunks.
 */
export async function planMatching(
  mentees: MenteeProfile[],
  mentors: MentorProfile[],
  settings: MatchingSettings,
  history: PairHistory,
  solve: (problem: AssignmentProblem) => Promise<Assignment> = solveAssignment,
): Promise<MatchingPlan> {
  const scoringStart = performance.now();
  const mentorIndex = new Map(mentors.map((mentor, i) => [mentor.id, i]));
  const candidates: (Candidate & { factors: MatchingFactorResult[] })[] = [];
  const unmatched: MatchingPlan['unmatched'] = [];
  const considered = new Map<number, number>();
  let scoredThisTurn = 0;
  for (const [m, mentee] of mentees.entries()) {
    if (scoredThisTurn >= PAIRS_PER_TURN) {
      scoredThisTurn = 0;
      await yieldToLoop();
    }
    scoredThisTurn += mentors.length;
    // Every pair is scored by number only; just the mentee's best k are explained (scorePair).
    const eligible: { mentor: MentorProfile; score: number }[] = [];
    const counts = new Map<string, number>();
    for (const mentor of mentors) {
      const exclusions = exclusionsOf(mentor, mentee, settings, history);
      if (exclusions.length) for (const { code } of exclusions) counts.set(code, (counts.get(code) ?? 0) + 1);
      else eligible.push({ mentor, score: scoreOnly(mentor, mentee, settings) });
    }
    if (eligible.length === 0) {
      const why = [...counts].map(([code, n]) => `${n} ${code}`).join(', ');
      unmatched.push({ menteeId: mentee.id, reason: 'NO_ELIGIBLE_MENTOR', message: mentors.length ? `every mentor is excluded (${why})` : 'there are no mentors' });
      continue;
    }
    eligible.sort((a, b) => b.score - a.score || (a.mentor.id < b.mentor.id ? -1 : 1));
    // The minimum is judged on the score the pair is proposed with (scorePair's), not the quick
    // ranking's: the two sum the same factors in another order and may differ in the last bit.
    const kept = eligible
      .filter((entry) => entry.score >= settings.minimumScore - 1e-9)
      .slice(0, settings.candidatesPerMentee)
      .map(({ mentor }) => ({ mentor, ...scorePair(mentor, mentee, settings) }))
      .filter((entry) => entry.score >= settings.minimumScore);
    if (kept.length === 0) {
      unmatched.push({ menteeId: mentee.id, reason: 'BELOW_MINIMUM_SCORE', message: `the best mentor scores ${round(eligible[0]!.score)}, under the minimum ${settings.minimumScore}` });
      continue;
    }
    considered.set(m, kept.length);
    for (const { mentor, score, factors } of kept) candidates.push({ mentee: m, mentor: mentorIndex.get(mentor.id)!, score, factors });
  }
  const scoringMs = performance.now() - scoringStart;

  const problem = { menteeCount: mentees.length, capacities: mentors.map((mentor) => Math.max(0, mentor.capacity - mentor.load)), candidates };
  const solved = await solve(problem);
  const pairs = solved.chosen.map((i) => {
    const candidate = candidates[i]!;
    return { menteeId: mentees[candidate.mentee]!.id, mentorId: mentors[candidate.mentor]!.id, score: candidate.score, factors: candidate.factors };
  });
  const matched = new Set(solved.chosen.map((i) => candidates[i]!.mentee));
  for (const [m, n] of considered) {
    if (!matched.has(m)) {
      unmatched.push({ menteeId: mentees[m]!.id, reason: 'CAPACITY_TAKEN', message: `the places of its ${n} eligible mentor${n === 1 ? '' : 's'} went to pairs that score more in total` });
    }
  }
  return {
    pairs,
    unmatched,
    objective: solved.objective,
    greedyObjective: solved.greedyObjective,
    integral: solved.integral,
    timings: { scoringMs, modelMs: solved.modelMs, solveMs: solved.solveMs },
    candidateCount: candidates.length,
  };
}
