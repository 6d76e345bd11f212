import fc from 'fast-check';
import t from 'tap';
import { FACTORS, type MenteeProfile, type MentorProfile } from '../../src/domain/matching/factors.ts';
import { planMatching } from '../../src/domain/matching/plan-matching.ts';
import { rankMentors } from '../../src/domain/matching/rank-mentors.ts';
import { exclusionsOf, pairKey, scoreOnly, scorePair, type PairHistory } from '../../src/domain/matching/score.ts';
import { DEFAULT_WEIGHTS, matchingSettings, type MatchingSettings } from '../../src/domain/matching/settings.ts';
import { stemmedWords } from '../../src/domain/smart/wording.ts';
import { greedyAssignment, solveAssignment, type AssignmentProblem } from '../../src/solver/solve-assignment.ts';
import { GOAL_FOCUSES, MATCHING_FACTORS } from '../../src/vocabulary.ts';

// Matching's rules as properties over random programmes: exclusions and capacity always hold,
// the score is the weighted mean of its factors and grows with each, and the run is optimal.
const WORDS = ['leadership', 'negotiation', 'communication', 'finance', 'design', 'strategy', 'coaching', 'community', 'data', 'networking'];
const ZONES: [string, number][] = [['Europe/London', 0], ['Europe/Berlin', 60], ['Asia/Tokyo', 540], ['America/New_York', -300], ['Asia/Kolkata', 330]];
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const mentorArb = (id: string) =>
  fc
    .record({
      skills: fc.subarray(WORDS),
      zone: fc.constantFrom(...ZONES),
      grade: nullable(fc.integer({ min: 0, max: 10 })),
      experienceYears: nullable(fc.integer({ min: 0, max: 30 })),
      location: nullable(fc.constantFrom('Leeds', 'Paris')),
      department: nullable(fc.constantFrom('Sales', 'Ops')),
      managerId: nullable(fc.constantFrom('boss-1', 'boss-2')),
      capacity: fc.integer({ min: 1, max: 3 }),
      load: fc.integer({ min: 0, max: 3 }),
    })
    .map(
      (r): MentorProfile => ({
        id,
        name: id,
        directoryIds: [id, `hr-${id}`],
        active: true,
        hasProfile: true,
        capacity: r.capacity,
        load: r.load,
        timezone: r.zone[0],
        utcOffsetMinutes: r.zone[1],
        grade: r.grade,
        experienceYears: r.experienceYears,
        location: r.location,
        department: r.department,
        managerId: r.managerId,
        stems: stemmedWords(r.skills.join(' ')),
      }),
    );

const menteeArb = (id: string, mentorIds: string[]) =>
  fc
    .record({
      words: fc.subarray(WORDS),
      zone: fc.constantFrom(...ZONES),
      goalFocus: nullable(fc.constantFrom(...GOAL_FOCUSES)),
      grade: nullable(fc.integer({ min: 0, max: 10 })),
      location: nullable(fc.constantFrom('Leeds', 'Paris')),
      department: nullable(fc.constantFrom('Sales', 'Ops')),
      managerId: nullable(fc.constantFrom('boss-1', 'boss-2', 'hr-m0')),
      preferred: fc.shuffledSubarray(mentorIds),
    })
    .map(
      (r): MenteeProfile => ({
        id,
        name: id,
        timezone: r.zone[0],
        utcOffsetMinutes: r.zone[1],
        aspiration: r.words.join(' and '),
        aspirationStems: stemmedWords(r.words.join(' ')),
        goalFocus: r.goalFocus,
        grade: r.grade,
        location: r.location,
        department: r.department,
        managerId: r.managerId,
        preferredMentorIds: r.preferred,
      }),
    );

const settingsArb: fc.Arbitrary<MatchingSettings> = fc
  .record({
    weights: fc.record(Object.fromEntries(MATCHING_FACTORS.map((f) => [f, fc.constantFrom(0, 0.5, 1, 2, 3)]))),
    excludeSameDepartment: fc.boolean(),
    minimumScore: fc.constantFrom(0, 0, 0.2, 0.4),
  })
  .map((r) => matchingSettings({ ...r, weights: r.weights as MatchingSettings['weights'] }));

const worldArb = (maxMentees: number, maxMentors: number) =>
  fc.tuple(fc.integer({ min: 1, max: maxMentees }), fc.integer({ min: 1, max: maxMentors })).chain(([menteeCount, mentorCount]) => {
    const mentorIds = Array.from({ length: mentorCount }, (_, i) => `m${i}`);
    const menteeIds = Array.from({ length: menteeCount }, (_, i) => `e${i}`);
    const keys = mentorIds.flatMap((m) => menteeIds.map((e) => pairKey(m, e)));
    return fc.record({
      mentors: fc.tuple(...mentorIds.map(mentorArb)),
      mentees: fc.tuple(...menteeIds.map((id) => menteeArb(id, mentorIds))),
      settings: settingsArb,
      declined: fc.subarray(keys, { maxLength: Math.min(3, keys.length) }),
      active: fc.subarray(keys, { maxLength: Math.min(2, keys.length) }),
    });
  });

const historyOf = (w: { declined: string[]; active: string[] }): PairHistory => ({ declined: new Set(w.declined), active: new Set(w.active) });

/** The exclusions, written again from the words, independently of exclusionsOf. */
function mayPair(mentor: MentorProfile, mentee: MenteeProfile, settings: MatchingSettings, history: PairHistory): boolean {
  if (mentor.load >= mentor.capacity) return false;
  if (mentee.managerId !== null && (mentee.managerId === mentor.managerId || mentor.directoryIds.includes(mentee.managerId))) return false;
  if (history.declined.has(`${mentor.id}|${mentee.id}`) || history.active.has(`${mentor.id}|${mentee.id}`)) return false;
  if (settings.excludeSameDepartment && mentor.department !== null && mentor.department === mentee.department) return false;
  return true;
}

t.test('a suggestion never violates a hard exclusion or capacity, and every exclusion is explained', async (t) => {
  fc.assert(
    fc.property(worldArb(3, 6), (w) => {
      const history = historyOf(w);
      for (const mentee of w.mentees) {
        const { ranked, excluded } = rankMentors(mentee, w.mentors, w.settings, history);
        for (const { mentor } of ranked) if (!mayPair(mentor, mentee, w.settings, history)) return false;
        for (const { mentor, exclusions } of excluded) {
          if (mayPair(mentor, mentee, w.settings, history) || exclusions.length === 0 || exclusions.some((e) => !e.message)) return false;
        }
        if (ranked.length + excluded.length !== w.mentors.length) return false;
        for (let i = 1; i < ranked.length; i++) if (ranked[i - 1]!.score < ranked[i]!.score) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass('300 random programmes');
});

t.test('the score is the weighted mean of the factors, in [0, 1]', async (t) => {
  fc.assert(
    fc.property(worldArb(1, 1), (w) => {
      const mentor = w.mentors[0]!;
      const mentee = w.mentees[0]!;
      const { score, factors } = scorePair(mentor, mentee, w.settings);
      const total = MATCHING_FACTORS.reduce((sum, f) => sum + w.settings.weights[f], 0);
      const expected = total === 0 ? 0 : MATCHING_FACTORS.reduce((sum, f) => sum + w.settings.weights[f] * FACTORS[f].value(mentor, mentee), 0) / total;
      const sum = factors.reduce((s, f) => s + f.contribution, 0);
      // A run ranks every pair by scoreOnly before explaining the best: the two must agree.
      if (Math.abs(scoreOnly(mentor, mentee, w.settings) - score) > 1e-12) return false;
      return score >= 0 && score <= 1 && Math.abs(score - expected) < 1e-9 && Math.abs(sum - score) < 1e-9 && factors.every((f) => f.value >= 0 && f.value <= 1);
    }),
    { numRuns: 500 },
  );
  t.pass();
});

/** One improvement per factor: the mentor made better for the mentee in that respect alone. */
const improvements: Record<string, (mentor: MentorProfile, mentee: MenteeProfile) => [MentorProfile, MenteeProfile]> = {
  skills: (mentor, mentee) => [{ ...mentor, stems: new Map([...mentor.stems, ...mentee.aspirationStems]) }, mentee],
  goalFocus: (mentor, mentee) => [{ ...mentor, stems: new Map([...mentor.stems, ...stemmedWords('leadership networking community engineering communication')]) }, mentee],
  workingHours: (mentor, mentee) => [{ ...mentor, utcOffsetMinutes: (mentor.utcOffsetMinutes + mentee.utcOffsetMinutes) / 2 }, mentee],
  grade: (mentor, mentee) => [{ ...mentor, grade: mentee.grade === null ? mentor.grade : mentee.grade + 1 }, mentee],
  experience: (mentor, mentee) => [{ ...mentor, experienceYears: (mentor.experienceYears ?? 0) + 3 }, mentee],
  preference: (mentor, mentee) => [mentor, { ...mentee, preferredMentorIds: [mentor.id, ...mentee.preferredMentorIds.filter((id) => id !== mentor.id)] }],
  location: (mentor, mentee) => [{ ...mentor, location: mentee.location ?? mentor.location }, mentee],
};

t.test('the score is monotone in each factor: improving one never lowers it', async (t) => {
  for (const factor of MATCHING_FACTORS) {
    fc.assert(
      fc.property(worldArb(1, 1), (w) => {
        const [mentor, mentee] = [w.mentors[0]!, w.mentees[0]!];
        const [better, sameMentee] = improvements[factor]!(mentor, mentee);
        const before = FACTORS[factor].value(mentor, mentee);
        const after = FACTORS[factor].value(better, sameMentee);
        if (after < before) return false;
        const settings = matchingSettings({ weights: { ...DEFAULT_WEIGHTS } });
        const moved = scorePair(better, sameMentee, settings).score - scorePair(mentor, mentee, settings).score;
        // The score rises by at least this factor's weighted share of its change (a new skill may serve the goal focus too).
        const total = Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0);
        return moved >= -1e-12 && moved >= (DEFAULT_WEIGHTS[factor] * (after - before)) / total - 1e-9;
      }),
      { numRuns: 200 },
    );
    t.pass(factor);
  }
});

t.test('explanations name what matched', async (t) => {
  fc.assert(
    fc.property(worldArb(1, 1), (w) => {
      const [mentor, mentee] = [w.mentors[0]!, w.mentees[0]!];
      const { factors } = scorePair(mentor, mentee, matchingSettings({}));
      const skills = factors.find((f) => f.factor === 'skills')!;
      const shared = [...mentee.aspirationStems.keys()].filter((stem) => mentor.stems.has(stem)).map((stem) => mentor.stems.get(stem)!);
      if (shared.length ? !shared.every((word) => skills.explanation.includes(word)) || skills.contribution <= 0 : skills.contribution !== 0) return false;
      const hours = factors.find((f) => f.factor === 'workingHours')!;
      if (!hours.explanation.includes(mentor.timezone) || !/^\d+(\.\d)? of 8 working hours overlap/.test(hours.explanation)) return false;
      for (let i = 1; i < factors.length; i++) if (factors[i - 1]!.contribution < factors[i]!.contribution) return false;
      return factors.filter((f) => f.contribution > 0).every((f) => f.explanation.length > 0 && !/^no |not known|not given/.test(f.explanation));
    }),
    { numRuns: 300 },
  );
  t.equal(FACTORS.grade.explain({ grade: 7 } as MentorProfile, { grade: 5 } as MenteeProfile), '2 grades above');
  t.equal(FACTORS.skills.explain({ stems: stemmedWords('Leadership Negotiation') } as MentorProfile, { aspirationStems: stemmedWords('lead negotiations with leadership') } as MenteeProfile), 'skills overlap with the aspiration: negotiation, leadership');
  t.equal(FACTORS.skills.value({ stems: stemmedWords('community building') } as MentorProfile, { aspirationStems: stemmedWords('communicate better') } as MenteeProfile), 0, '"community" does not match "communicate"');
});

/** Every assignment of mentees to mentors (or none) within capacities: the true optimum. */
function bruteForce(problem: AssignmentProblem): number {
  const byMentee = Array.from({ length: problem.menteeCount }, (_, m) => problem.candidates.filter((c) => c.mentee === m));
  const room = [...problem.capacities];
  let best = 0;
  const walk = (m: number, total: number) => {
    if (m === problem.menteeCount) {
      best = Math.max(best, total);
      return;
    }
    walk(m + 1, total);
    for (const c of byMentee[m]!) {
      if (room[c.mentor]! <= 0) continue;
      room[c.mentor]!--;
      walk(m + 1, total + c.score);
      room[c.mentor]!++;
    }
  };
  walk(0, 0);
  return best;
}

const problemArb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 })).chain(([menteeCount, mentorCount]) =>
  fc.record({
    menteeCount: fc.constant(menteeCount),
    capacities: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: mentorCount, maxLength: mentorCount }),
    candidates: fc
      .subarray(Array.from({ length: menteeCount * mentorCount }, (_, i) => i))
      .chain((cells) => fc.tuple(...cells.map((cell) => fc.double({ min: 0, max: 1, noNaN: true }).map((score) => ({ mentee: Math.floor(cell / mentorCount), mentor: cell % mentorCount, score }))))),
  }),
);

t.test('the solver finds the brute-force optimum on small instances, never below greedy, within capacity', async (t) => {
  await fc.assert(
    fc.asyncProperty(problemArb, async (problem) => {
      const solved = await solveAssignment(problem);
      const greedy = greedyAssignment(problem);
      const optimum = bruteForce(problem);
      const perMentee = new Map<number, number>();
      const perMentor = new Map<number, number>();
      for (const i of solved.chosen) {
        const c = problem.candidates[i]!;
        perMentee.set(c.mentee, (perMentee.get(c.mentee) ?? 0) + 1);
        perMentor.set(c.mentor, (perMentor.get(c.mentor) ?? 0) + 1);
      }
      return (
        solved.integral &&
        Math.abs(solved.objective - optimum) < 1e-6 &&
        solved.objective >= greedy.objective - 1e-6 &&
        [...perMentee.values()].every((n) => n === 1) &&
        [...perMentor].every(([m, n]) => n <= problem.capacities[m]!)
      );
    }),
    { numRuns: 200 },
  );
  t.pass('200 random instances up to 6 mentees × 4 mentors');
  const trap = { menteeCount: 2, capacities: [1, 1], candidates: [{ mentee: 0, mentor: 0, score: 0.9 }, { mentee: 0, mentor: 1, score: 0.8 }, { mentee: 1, mentor: 0, score: 0.85 }] };
  t.equal(greedyAssignment(trap).objective, 0.9, 'greedy takes the best pair first');
  t.ok(Math.abs((await solveAssignment(trap)).objective - 1.65) < 1e-9, 'the solver gives it up for a better total');
});

const edgeMentor = (id: string, timezone: string, utcOffsetMinutes: number, experienceYears: number | null, stems: [string, string][]) => ({
  id, name: id, directoryIds: [id, `hr-${id}`], active: true, hasProfile: true, capacity: 1, load: 0, timezone, utcOffsetMinutes, grade: null, experienceYears,
  location: null, department: null, managerId: null, stems: new Map(stems),
});
const edgeMentee = (id: string, timezone: string, utcOffsetMinutes: number, aspiration: string, stems: [string, string][], goalFocus: string | null) => ({
  id, name: id, timezone, utcOffsetMinutes, aspiration, aspirationStems: new Map(stems), goalFocus, grade: null, location: null, department: null, managerId: null, preferredMentorIds: [],
});
const minimumScoreEdge = {
  mentors: [edgeMentor('m0', 'America/New_York', -300, 1, [['coach', 'coaching']]), edgeMentor('m1', 'Europe/London', 0, null, []), edgeMentor('m2', 'Europe/London', 0, null, [])],
  mentees: [edgeMentee('e0', 'Europe/Berlin', 60, 'coaching', [['coach', 'coaching']], 'soft_skill'), edgeMentee('e1', 'Europe/London', 0, '', [], null)],
  settings: { weights: { skills: 3, goalFocus: 0.5, workingHours: 2, grade: 2, experience: 2, preference: 0, location: 1 }, excludeSameDepartment: false, minimumScore: 0.4, candidatesPerMentee: 50 },
  declined: [],
  active: [],
} as unknown as World;
type World = ReturnType<typeof worldArb> extends fc.Arbitrary<infer W> ? W : never;

t.test('a run proposes only allowed pairs, within remaining capacity, and says why each other mentee is unmatched', async (t) => {
  await fc.assert(
    fc.asyncProperty(worldArb(6, 4), async (w) => {
      const history = historyOf(w);
      const plan = await planMatching(w.mentees, w.mentors, w.settings, history);
      const mentors = new Map(w.mentors.map((m) => [m.id, m]));
      const mentees = new Map(w.mentees.map((m) => [m.id, m]));
      const used = new Map<string, number>();
      for (const pair of plan.pairs) {
        const mentor = mentors.get(pair.mentorId)!;
        if (!mayPair(mentor, mentees.get(pair.menteeId)!, w.settings, history) || pair.score < w.settings.minimumScore) return false;
        if (exclusionsOf(mentor, mentees.get(pair.menteeId)!, w.settings, history).length) return false;
        used.set(mentor.id, (used.get(mentor.id) ?? 0) + 1);
      }
      if ([...used].some(([id, n]) => n > mentors.get(id)!.capacity - mentors.get(id)!.load)) return false;
      const matched = new Set(plan.pairs.map((p) => p.menteeId));
      if (matched.size !== plan.pairs.length) return false;
      const unmatched = new Set(plan.unmatched.map((u) => u.menteeId));
      return w.mentees.every((m) => matched.has(m.id) !== unmatched.has(m.id)) && plan.objective >= plan.greedyObjective - 1e-6;
    }),
    // The example found in CI: the quick ranking scored a pair 0.4, the proposal 0.39999999999999997, under the minimum 0.4.
    { numRuns: 150, examples: [[minimumScoreEdge]] },
  );
  t.pass();
});
