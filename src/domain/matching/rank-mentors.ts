import type { MenteeProfile, MentorProfile } from './factors.ts';
import { exclusionsOf, scorePair, type Exclusion, type PairHistory, type Scored } from './score.ts';
import type { MatchingSettings } from './settings.ts';

export interface RankedMentor extends Scored {
  mentor: MentorProfile;
}

/** The mentors who may mentor `mentee`, best first (ties by id, so the order is stable), and those kept out with why. */
export function rankMentors(mentee: MenteeProfile, mentors: MentorProfile[], settings: MatchingSettings, history: PairHistory) {
  const ranked: RankedMentor[] = [];
  const excluded: { mentor: MentorProfile; exclusions: Exclusion[] }[] = [];
  for (const mentor of mentors) {
    const exclusions = exclusionsOf(mentor, mentee, settings, history);
    if (exclusions.length) excluded.push({ mentor, exclusions });
    else ranked.push({ mentor, ...scorePair(mentor, mentee, settings) });
  }
  ranked.sort((a, b) => b.score - a.score || (a.mentor.id < b.mentor.id ? -1 : 1));
  return { ranked, excluded };
}
