import type { GoalFocus, MatchingFactor } from '../../vocabulary.ts';
import { stemmedWords } from '../smart/wording.ts';

/** A mentor as matching sees them: the profile, and the stems of their skills and qualifications. */
export interface MentorProfile {
  id: string;
  name: string;
  /** The ids an identity provider may name them by as someone's manager. */
  directoryIds: string[];
  active: boolean;
  hasProfile: boolean;
  capacity: number;
  /** Active relationships they mentor now, in any programme. */
  load: number;
  utcOffsetMinutes: number;
  timezone: string;
  grade: number | null;
  experienceYears: number | null;
  location: string | null;
  department: string | null;
  managerId: string | null;
  stems: Map<string, string>;
}

export interface MenteeProfile {
  id: string;
  name: string;
  utcOffsetMinutes: number;
  timezone: string;
  aspiration: string | null;
  aspirationStems: Map<string, string>;
  goalFocus: GoalFocus | null;
  grade: number | null;
  location: string | null;
  department: string | null;
  managerId: string | null;
  preferredMentorIds: string[];
}

/**
 * A factor: its value in [0, 1] for a pair, and the sentence that says why. Kept apart because a
 * run computes the value of every pair but writes sentences only for each mentee's best candidates.
 */
export interface Factor {
  value: (mentor: MentorProfile, mentee: MenteeProfile) => number;
  explain: (mentor: MentorProfile, mentee: MenteeProfile) => string;
}

const list = (words: string[]) => words.join(', ');

// Counted without building arrays: a run counts for every pair and words only its best candidates.
function sharedCount(wanted: Map<string, string>, held: Map<string, string>): number {
  let n = 0;
  for (const stem of wanted.keys()) if (held.has(stem)) n++;
  return n;
}
const sharedWords = (wanted: Map<string, string>, held: Map<string, string>) => [...wanted.keys()].filter((stem) => held.has(stem)).map((stem) => held.get(stem)!);

/** How much of the aspiration the mentor's skills and qualifications speak to (three shared topics is a full match). */
const skills: Factor = {
  value: (mentor, mentee) => (mentee.aspirationStems.size === 0 ? 0 : Math.min(1, sharedCount(mentee.aspirationStems, mentor.stems) / Math.min(3, mentee.aspirationStems.size))),
  explain: (mentor, mentee) => {
    if (mentee.aspirationStems.size === 0) return 'no aspiration to match skills against';
    const shared = sharedWords(mentee.aspirationStems, mentor.stems);
    return shared.length ? `skills overlap with the aspiration: ${list(shared)}` : 'no skill overlaps with the aspiration';
  },
};

/** Topic words that serve each goal focus; a mentor whose skills share one serves it. */
const FOCUS_TOPICS: Record<GoalFocus, string> = {
  promotion: 'leadership management managing promotion career strategy influence stakeholder',
  career_change: 'career transition change coaching mentoring networking industry',
  network: 'network networking community relationships stakeholder partnerships',
  hard_skill: 'engineering technical programming data design architecture analysis finance',
  soft_skill: 'communication leadership negotiation presentation feedback coaching influence listening',
  other: '',
};
const FOCUS_STEMS = Object.fromEntries(Object.entries(FOCUS_TOPICS).map(([focus, words]) => [focus, stemmedWords(words)])) as Record<GoalFocus, Map<string, string>>;

const goalFocus: Factor = {
  value: (mentor, mentee) => (mentee.goalFocus && sharedCount(FOCUS_STEMS[mentee.goalFocus], mentor.stems) > 0 ? 1 : 0),
  explain: (mentor, mentee) => {
    const focus = mentee.goalFocus;
    if (!focus) return 'no goal focus given';
    const shared = sharedWords(FOCUS_STEMS[focus], mentor.stems);
    return shared.length ? `skills serve the goal focus ${focus}: ${list(shared)}` : `no skill serves the goal focus ${focus}`;
  },
};

const WORKING_HOURS = 8;
const overlapHours = (mentor: MentorProfile, mentee: MenteeProfile) => {
  const apart = Math.abs(mentor.utcOffsetMinutes - mentee.utcOffsetMinutes) / 60;
  return Math.max(0, WORKING_HOURS - Math.min(apart, 24 - apart));
};

/** Working hours (9 to 17 in each one's time zone) that overlap, out of eight. */
const workingHours: Factor = {
  value: (mentor, mentee) => overlapHours(mentor, mentee) / WORKING_HOURS,
  explain: (mentor, mentee) => {
    const overlap = overlapHours(mentor, mentee);
    const hours = Number.isInteger(overlap) ? String(overlap) : overlap.toFixed(1);
    return `${hours} of ${WORKING_HOURS} working hours overlap (${mentor.timezone} and ${mentee.timezone})`;
  },
};

/** One or two grades above the mentee is best; a wider gap is half as good, the same grade or below little or nothing. */
const grade: Factor = {
  value: (mentor, mentee) => {
    if (mentor.grade === null || mentee.grade === null) return 0;
    const gap = mentor.grade - mentee.grade;
    return gap >= 1 && gap <= 2 ? 1 : gap > 2 ? 0.5 : gap === 0 ? 0.25 : 0;
  },
  explain: (mentor, mentee) => {
    if (mentor.grade === null || mentee.grade === null) return 'grade not known for both';
    const gap = mentor.grade - mentee.grade;
    const grades = (n: number) => `${n} grade${n === 1 ? '' : 's'}`;
    return gap >= 1 && gap <= 2 ? `${grades(gap)} above` : gap > 2 ? `${grades(gap)} above: a wide gap` : gap === 0 ? 'the same grade' : `${grades(-gap)} below`;
  },
};

/** Years of experience, ten or more counting in full. */
const experience: Factor = {
  value: (mentor) => (mentor.experienceYears === null ? 0 : Math.min(mentor.experienceYears, 10) / 10),
  explain: (mentor) => (mentor.experienceYears === null ? 'years of experience not given' : `${mentor.experienceYears} year${mentor.experienceYears === 1 ? '' : 's'} of experience`),
};

const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** The mentee's ranked preference: the first choice counts in full, later ones less. */
const preference: Factor = {
  value: (mentor, mentee) => {
    const rank = mentee.preferredMentorIds.indexOf(mentor.id);
    return rank < 0 ? 0 : 1 - rank / mentee.preferredMentorIds.length;
  },
  explain: (mentor, mentee) => {
    const rank = mentee.preferredMentorIds.indexOf(mentor.id);
    if (rank >= 0) return `the mentee’s ${ordinal(rank + 1)} choice`;
    return mentee.preferredMentorIds.length ? 'not among the mentee’s preferred mentors' : 'the mentee named no preferred mentors';
  },
};

const sameLocation = (mentor: MentorProfile, mentee: MenteeProfile) =>
  Boolean(mentor.location && mentee.location && mentor.location.trim().toLowerCase() === mentee.location.trim().toLowerCase());

const location: Factor = {
  value: (mentor, mentee) => (sameLocation(mentor, mentee) ? 1 : 0),
  explain: (mentor, mentee) => {
    if (!mentor.location || !mentee.location) return 'location not known for both';
    return sameLocation(mentor, mentee) ? `both in ${mentor.location}` : `in ${mentor.location}, the mentee in ${mentee.location}`;
  },
};

export const FACTORS: Record<MatchingFactor, Factor> = { skills, goalFocus, workingHours, grade, experience, preference, location };

/** Minutes ahead of UTC in `timeZone` at `at` ("GMT+05:30" → 330). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}
