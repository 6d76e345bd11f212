import type { MatchingSettingsData } from '../../db/schema.ts';
import { MATCHING_FACTORS, type MatchingFactor } from '../../vocabulary.ts';

/** What a programme weighs when it sets nothing: the mentee's words count most, then hours and preferences. */
export const DEFAULT_WEIGHTS: Readonly<Record<MatchingFactor, number>> = {
  skills: 3,
  goalFocus: 1,
  workingHours: 2,
  grade: 1,
  experience: 1,
  preference: 2,
  location: 0.5,
};

/** A run looks at each mentee's best k mentors only (pruning); the benchmark measures what that costs. */
export const DEFAULT_CANDIDATES_PER_MENTEE = 50;

export interface MatchingSettings {
  weights: Record<MatchingFactor, number>;
  excludeSameDepartment: boolean;
  minimumScore: number;
  candidatesPerMentee: number;
}

/** A programme's matching settings with the defaults filled in. */
export function matchingSettings(data: MatchingSettingsData | null | undefined): MatchingSettings {
  const weights = { ...DEFAULT_WEIGHTS };
  for (const factor of MATCHING_FACTORS) {
    const weight = data?.weights?.[factor];
    if (weight !== undefined) weights[factor] = weight;
  }
  return {
    weights,
    excludeSameDepartment: data?.excludeSameDepartment ?? false,
    minimumScore: data?.minimumScore ?? 0,
    candidatesPerMentee: data?.candidatesPerMentee ?? DEFAULT_CANDIDATES_PER_MENTEE,
  };
}
