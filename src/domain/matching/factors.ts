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

/** One factor's verdict: a value in [0, 1] and the sentence that says why. */
export interface FactorValue {
  value: number;
  explanation: string;
}

const list = (words: string[]) => words.join(', ');

/** How much of the aspiration the mentor's skills and qualifications speak to (three shared topics is a full match). */
export function skillsFactor(mentor: MentorProfile, mentee: MenteeProfile): FactorValue {
  if (mentee.aspirationStems.size === 0) return { value: 0, explanation: 'no aspiration to match skills against' };
  const shared = [...mentee.aspirationStems.keys()].filter((stem) => mentor.stems.has(stem)).map((stem) => mentor.stems.get(stem)!);
  if (shared.length === 0) return { value: 0, explanation: 'no skill overlaps with the aspiration' };
  return { value: Math.min(1, shared.length / Math.min(3, mentee.aspirationStems.size)), explanation: `skills overlap with the aspiration: ${list(shared)}` };
}

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

export function goalFocusFactor(mentor: MentorProfile, mentee: MenteeProfile): FactorValue {
  if (!mentee.goalFocus) return { value: 0, explanation: 'no goal focus given' };
  const shared = [...FOCUS_STEMS[mentee.goalFocus].keys()].filter((stem) => mentor.stems.has(stem)).map((stem) => mentor.stems.get(stem)!);
  if (shared.length === 0) return { value: 0, explanation: `no skill serves the goal focus ${mentee.goalFocus}` };
  return { value: 1, explanation: `skills serve the goal focus ${mentee.goalFocus}: ${list(shared)}` };
}

const WORKING_HOURS = 8;

/** Working hours (9 to 17 in each one's time zone) that overlap, out of eight. */
export function workingHoursFactor(mentor: MentorProfile, mentee: MenteeProfile): FactorValue {
  const apart = Math.abs(mentor.utcOffsetMinutes - mentee.utcOffsetMinutes) / 60;
  const distance = Math.min(apart, 24 - apart);
  const overlap = Math.max(0, WORKING_HOURS - distance);
  const hours = Number.isInteger(overlap) ? String(overlap) : overlap.toFixed(1);
  return { value: overlap / WORKING_HOURS, explanation: `${hours} of ${WORKING_HOURS} working hours overlap (${mentor.timezone} and ${mentee.timezone})` };
}

/** One or two grades above the mentee is best; a wider gap is half as good, the same grade or below little or nothing. */
export function gradeFactor(mentor: MentorProfile, mentee: MenteeProfile): FactorValue {
  if (mentor.grade === null || mentee.grade === null) return { value: 0, explanation: 'grade not known for both' };
  const gap = mentor.grade - mentee.grade;
  const grades = (n: number) => `${n} grade${n === 1 ? '' : 's'}`;
  if (gap >= 1 && gap <= 2) return { value: 1, explanation: `${grades(gap)} above` };
  if (gap > 2) return { value: 0.5, explanation: `${grades(gap)} above: a wide gap` };
  if (gap === 0) return { value: 0.25, explanation: 'the same grade' };
  return { value: 0, explanation: `${grades(-gap)} below` };
}

/** Years of experience, ten or more counting in full. */
export function experienceFactor(mentor: MentorProfile): FactorValue {
  if (mentor.experienceYears === null) return { value: 0, explanation: 'years of experience not given' };
  const years = mentor.experienceYears;
  return { value: Math.min(years, 10) / 10, explanation: `${years} year${years === 1 ? '' : 's'} of experience` };
}

const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** The mentee's ranked preference: the first choice counts in full, later ones less. */
export function preferenceFactor(mentor: MentorProfile, mentee: MenteeProfile): FactorValue {
  const rank = mentee.preferredMentorIds.indexOf(mentor.id);
  if (rank < 0) return { value: 0, explanation: mentee.preferredMentorIds.length ? 'not among the mentee’s preferred mentors' : 'the mentee named no preferred mentors' };
  return { value: 1 - rank / mentee.preferredMentorIds.length, explanation: `the mentee’s ${ordinal(rank + 1)} choice` };
}

export function locationFactor(mentor: MentorProfile, mentee: MenteeProfile): FactorValue {
  if (!mentor.location || !mentee.location) return { value: 0, explanation: 'location not known for both' };
  if (mentor.location.trim().toLowerCase() !== mentee.location.trim().toLowerCase()) return { value: 0, explanation: `in ${mentor.location}, the mentee in ${mentee.location}` };
  return { value: 1, explanation: `both in ${mentor.location}` };
}

export const FACTORS: Record<MatchingFactor, (mentor: MentorProfile, mentee: MenteeProfile) => FactorValue> = {
  skills: skillsFactor,
  goalFocus: goalFocusFactor,
  workingHours: workingHoursFactor,
  grade: gradeFactor,
  experience: experienceFactor,
  preference: preferenceFactor,
  location: locationFactor,
};

/** Minutes ahead of UTC in `timeZone` at `at` ("GMT+05:30" → 330). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}
