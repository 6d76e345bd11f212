import type { MatchingFactorResult } from '../../db/schema.ts';
import { MATCHING_FACTORS, type MatchingExclusion } from '../../vocabulary.ts';
import { FACTORS, type MenteeProfile, type MentorProfile } from './factors.ts';
import type { MatchingSettings } from './settings.ts';

export interface Scored {
  score: number;
  factors: MatchingFactorResult[];
}

/** Score in [0, 1]: the weighted sum of the factors over the sum of the weights, each factor with its share. */
export function scorePair(mentor: MentorProfile, mentee: MenteeProfile, settings: MatchingSettings): Scored {
  const total = MATCHING_FACTORS.reduce((sum, factor) => sum + settings.weights[factor], 0);
  const factors: MatchingFactorResult[] = [];
  let score = 0;
  for (const factor of MATCHING_FACTORS) {
    const weight = settings.weights[factor];
    if (weight === 0) continue;
    const value = FACTORS[factor].value(mentor, mentee);
    const contribution = total > 0 ? (weight * value) / total : 0;
    score += contribution;
    factors.push({ factor, weight, value, contribution, explanation: FACTORS[factor].explain(mentor, mentee) });
  }
  // Sorted by how much each moved the score, so the first sentences are the reasons.
  factors.sort((a, b) => b.contribution - a.contribution);
  return { score: Math.min(1, score), factors };
}

/** The score alone, as scorePair computes it, without writing a sentence: a run scores every pair this way. */
export function scoreOnly(mentor: MentorProfile, mentee: MenteeProfile, settings: MatchingSettings): number {
  let total = 0;
  let sum = 0;
  for (const factor of MATCHING_FACTORS) {
    const weight = settings.weights[factor];
    if (weight === 0) continue;
    total += weight;
    sum += weight * FACTORS[factor].value(mentor, mentee);
  }
  return total > 0 ? Math.min(1, sum / total) : 0;
}

/** What a run or a suggestion knows about existing pairs, by `mentorId|menteeId`. */
export interface PairHistory {
  declined: Set<string>;
  /** Active relationships in this programme. */
  active: Set<string>;
}

export const pairKey = (mentorId: string, menteeId: string) => `${mentorId}|${menteeId}`;

export interface Exclusion {
  code: MatchingExclusion;
  message: string;
}

/** The hard exclusions that keep `mentor` away from `mentee`, each explained; empty when they may be paired. */
export function exclusionsOf(mentor: MentorProfile, mentee: MenteeProfile, settings: MatchingSettings, history: PairHistory): Exclusion[] {
  const found: Exclusion[] = [];
  if (mentor.id === mentee.id) return [{ code: 'SAME_PERSON', message: 'a person cannot mentor themselves' }];
  if (!mentor.active) found.push({ code: 'MENTOR_INACTIVE', message: `${mentor.name} is de-provisioned` });
  if (!mentor.hasProfile) found.push({ code: 'NO_MENTOR_PROFILE', message: `${mentor.name} has no mentor profile (skills, qualifications or experience)` });
  if (mentor.load >= mentor.capacity) found.push({ code: 'MENTOR_AT_CAPACITY', message: `${mentor.name} mentors ${mentor.load} of a capacity of ${mentor.capacity}` });
  if (mentee.managerId && mentor.directoryIds.includes(mentee.managerId)) {
    found.push({ code: 'LINE_MANAGER', message: `${mentor.name} is ${mentee.name}’s line manager` });
  } else if (mentor.managerId && mentor.managerId === mentee.managerId) {
    found.push({ code: 'SAME_MANAGER', message: `${mentor.name} and ${mentee.name} have the same manager` });
  }
  const key = pairKey(mentor.id, mentee.id);
  if (history.declined.has(key)) found.push({ code: 'DECLINED_BEFORE', message: `a relationship between ${mentor.name} and ${mentee.name} was declined before` });
  if (history.active.has(key)) found.push({ code: 'ALREADY_PAIRED', message: `${mentor.name} already mentors ${mentee.name} in this programme` });
  if (settings.excludeSameDepartment && mentor.department && mentor.department.toLowerCase() === mentee.department?.toLowerCase()) {
    found.push({ code: 'SAME_DEPARTMENT', message: `both work in ${mentor.department}, and the programme pairs across departments` });
  }
  return found;
}
