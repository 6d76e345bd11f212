// What the demo's people write: goals that pass SMART, agreements, closing reflections; and the
// seeded random numbers that make the same demo on every machine. Plain functions of their inputs.
import type { GoalDraftInput } from '../../src/domain/schemas/goal.ts';
import type { CastMember } from './cast.ts';

const DAY = 86_400_000;
const iso = (date: Date) => date.toISOString().slice(0, 10);
const after = (from: Date, days: number) => iso(new Date(from.getTime() + days * DAY));

const GOALS = [
  { title: 'Lead the quarterly planning for my team', focus: 'promotion' as const, metric: { name: 'Planning sessions led', baseline: 0, target: 2, unit: 'sessions' } },
  { title: 'Give a talk at an internal tech forum', focus: 'soft_skill' as const, metric: { name: 'Talks given', baseline: 0, target: 1, unit: 'talks' } },
  { title: 'Ship a feature end to end as the owner', focus: 'hard_skill' as const, metric: { name: 'Features owned', baseline: 0, target: 1, unit: 'features' } },
  { title: 'Meet people across the business', focus: 'network' as const, metric: { name: 'Coffee chats outside my team', baseline: 1, target: 8, unit: 'chats' } },
];

/** A goal that passes SMART on the day it is drafted. */
export function smartGoal(today: Date, index: number, aspiration: string): GoalDraftInput {
  const goal = GOALS[index % GOALS.length]!;
  return {
    title: goal.title,
    outcome: `${goal.title}, with written feedback from my manager that it went well.`,
    focus: goal.focus,
    relevance: `This is the most direct step towards what I said I want: ${aspiration.toLowerCase()}`,
    dueOn: after(today, 120),
    metrics: [goal.metric],
    milestones: [
      { title: 'Shadow someone who does it well', dueOn: after(today, 30) },
      { title: 'Do it once with support', dueOn: after(today, 75) },
    ],
    tasks: [
      { title: 'Agree the scope with my manager', dueOn: after(today, 14) },
      { title: 'Read the internal guide and take notes', dueOn: after(today, 21), resources: ['https://intranet.demo.example/guides'] },
    ],
    mentorConfirmedRealistic: true,
  };
}

export function agreementFor(mentor: CastMember) {
  return {
    contactChannel: 'Video call every other week; chat for quick questions',
    contactHours: `Weekdays 09:00–17:00 ${mentor.timezone}`,
    confidentiality: 'What we discuss stays between us unless we agree otherwise.',
    mentorCanHelpWith: mentor.skills,
    mentorCannotHelpWith: ['Salary negotiation', 'Performance reviews'],
  };
}

export function closingReflection(party: 'mentor' | 'mentee') {
  return {
    kind: 'closing' as const,
    party,
    text: party === 'mentee' ? 'I reached the goal I came with and know what to try next.' : 'A committed mentee; I learnt to listen before advising.',
    whatWorked: 'A clear agenda for every session and small, dated steps.',
    whatDidNot: 'We cancelled too often during the summer.',
    howBenefited: party === 'mentee' ? 'Confidence and a wider network.' : 'Practice in coaching rather than telling.',
  };
}

/** A small deterministic generator (mulberry32): the same demo on every machine. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
