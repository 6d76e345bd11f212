import t, { type Test } from 'tap';
import fc from 'fast-check';
import { GOAL_FOCUSES } from '../../src/vocabulary.ts';
import {
  checkSmart,
  type GoalDraft,
  SMART_LETTERS,
  type SmartContext,
  type SmartLetter,
  type SmartReport,
} from '../../src/domain/smart/check-smart.ts';
import { addCalendarMonths, formatIsoDate, parseIsoDate, toDayNumber } from '../../src/domain/smart/dates.ts';

const TODAY = '2026-03-10';

function validGoal(overrides: Partial<GoalDraft> = {}): GoalDraft {
  return {
    title: 'Lead the quarterly planning for my squad',
    outcome: 'I run the quarterly planning for my squad and two peers rate it useful',
    focus: 'promotion',
    relevance: 'Leading planning is the main gap before a promotion to team lead',
    dueOn: '2026-09-30',
    metrics: [{ name: 'Planning sessions led', baseline: 0, target: 3, unit: 'sessions' }],
    milestones: [
      { title: 'Shadow the next planning', dueOn: '2026-04-15' },
      { title: 'Co-lead a planning', dueOn: '2026-07-01' },
    ],
    mentorConfirmedRealistic: true,
    ...overrides,
  };
}

function smartContext(overrides: Partial<SmartContext> = {}): SmartContext {
  return {
    today: TODAY,
    horizon: { minDays: 7, maxMonths: 24 },
    programmeEndsOn: '2026-12-31',
    aspiration: 'I want a promotion to team lead',
    ...overrides,
  };
}

/** A goal that only exercises its due date: no milestones to trip over it. */
function dueOn(date: string | null): GoalDraft {
  return validGoal({ dueOn: date, milestones: [] });
}

function codes(report: SmartReport, letter: SmartLetter): string[] {
  return report.letters[letter].failures.map((failure) => failure.code);
}

/** Asserts `letter` fails with exactly `expected` codes while the other four letters pass. */
function failsAlone(t: Test, report: SmartReport, letter: SmartLetter, expected: string[]) {
  t.equal(report.passed, false, 'the goal fails');
  t.same(codes(report, letter), expected, `${letter} fails with ${expected.join(', ')}`);
  for (const other of SMART_LETTERS.filter((l) => l !== letter)) {
    t.same(codes(report, other), [], `${other} still passes`);
    t.equal(report.letters[other].passed, true);
  }
}

function passesAll(t: Test, report: SmartReport) {
  t.equal(report.passed, true, 'the goal passes');
  for (const letter of SMART_LETTERS) t.same(codes(report, letter), [], `${letter} has no failures`);
}

t.test('a fully valid goal passes every letter without warnings', async (t) => {
  const report = checkSmart(validGoal(), smartContext());
  passesAll(t, report);
  t.same(report.warnings, []);
  t.same(Object.keys(report.letters).sort(), [...SMART_LETTERS].sort());
});

t.test('specific fails alone', async (t) => {
  failsAlone(t, checkSmart(validGoal({ outcome: '   ' }), smartContext()), 'specific', ['SPECIFIC_OUTCOME_MISSING']);
  failsAlone(t, checkSmart(validGoal({ outcome: 'Lead planning well' }), smartContext()), 'specific', ['SPECIFIC_OUTCOME_TOO_VAGUE']);
  // Four words but 19 non-space characters; one more letter makes it specific enough.
  failsAlone(t, checkSmart(validGoal({ outcome: 'Chair every squad demo' }), smartContext()), 'specific', ['SPECIFIC_OUTCOME_TOO_VAGUE']);
  passesAll(t, checkSmart(validGoal({ outcome: 'Chairs every squad demo' }), smartContext()));
  const report = checkSmart(validGoal({ outcome: 'Lead planning well' }), smartContext());
  t.match(report.letters.specific.failures[0], { path: 'outcome', message: /"Lead planning well"/ });
});

t.test('measurable fails alone', async (t) => {
  const oneDatedMilestone = [{ title: 'Shadow', dueOn: '2026-04-15' }, { title: 'Someday', dueOn: null }];
  failsAlone(t, checkSmart(validGoal({ metrics: [], milestones: oneDatedMilestone }), smartContext()), 'measurable', ['MEASURABLE_NO_MEASURE']);
  const noFiniteTarget = [
    { name: 'Sessions', baseline: 0, target: null, unit: null },
    { name: 'Score', baseline: 0, target: Number.NaN, unit: null },
    { name: 'Reach', baseline: 0, target: Number.POSITIVE_INFINITY, unit: null },
  ];
  failsAlone(t, checkSmart(validGoal({ metrics: noFiniteTarget, milestones: oneDatedMilestone }), smartContext()), 'measurable', ['MEASURABLE_NO_MEASURE']);
  const unnamed = checkSmart(validGoal({ metrics: [{ name: ' ', baseline: null, target: 3, unit: null }] }), smartContext());
  failsAlone(t, unnamed, 'measurable', ['MEASURABLE_METRIC_UNNAMED']);
  t.equal(unnamed.letters.measurable.failures[0]?.path, 'metrics.0.name');
  passesAll(t, checkSmart(validGoal({ metrics: [] }), smartContext()));
});

t.test('achievable fails alone', async (t) => {
  failsAlone(t, checkSmart(validGoal({ mentorConfirmedRealistic: false }), smartContext()), 'achievable', ['ACHIEVABLE_NOT_CONFIRMED']);
});

t.test('relevant fails alone', async (t) => {
  failsAlone(t, checkSmart(validGoal({ relevance: 'for me' }), smartContext()), 'relevant', ['RELEVANT_MISSING']);
  failsAlone(t, checkSmart(validGoal({ relevance: 'It builds my design portfolio' }), smartContext()), 'relevant', ['RELEVANT_NOT_TIED_TO_ASPIRATION']);
  // "want" is a stop word: sharing it ties nothing.
  failsAlone(t, checkSmart(validGoal({ relevance: 'I really want this badly' }), smartContext()), 'relevant', ['RELEVANT_NOT_TIED_TO_ASPIRATION']);
  passesAll(t, checkSmart(validGoal({ relevance: 'So that I get PROMOTED sooner' }), smartContext()));
});

t.test('relevance is tied by real stems, not by five-letter prefixes', async (t) => {
  const context = smartContext({ aspiration: 'I want to lead our community of practice' });
  // Prefixes would tie "communicate" to "community" ("commu"); Porter2 stems them apart.
  failsAlone(t, checkSmart(validGoal({ relevance: 'So that I communicate my ideas clearly' }), context), 'relevant', ['RELEVANT_NOT_TIED_TO_ASPIRATION']);
  passesAll(t, checkSmart(validGoal({ relevance: 'So that the communities I run grow' }), context));
});

t.test('an unknown aspiration passes relevance with a warning', async (t) => {
  for (const aspiration of [null, '  ']) {
    const report = checkSmart(validGoal({ relevance: 'It builds my design portfolio' }), smartContext({ aspiration }));
    passesAll(t, report);
    t.same(report.warnings.map((w) => w.code), ['ASPIRATION_UNKNOWN']);
  }
  failsAlone(t, checkSmart(validGoal({ relevance: 'short' }), smartContext({ aspiration: null })), 'relevant', ['RELEVANT_MISSING']);
});

t.test('time-bound fails alone', async (t) => {
  failsAlone(t, checkSmart(validGoal({ dueOn: null }), smartContext()), 'timeBound', ['TIME_BOUND_NO_DUE_DATE']);
  const late = checkSmart(dueOn('2027-01-05'), smartContext());
  failsAlone(t, late, 'timeBound', ['TIME_BOUND_AFTER_PROGRAMME_END']);
  t.equal(late.letters.timeBound.failures[0]?.message, 'The due date 2027-01-05 is after the programme ends on 2026-12-31.');
});

t.test('due today fails, due tomorrow passes', async (t) => {
  const context = smartContext({ horizon: { minDays: 1, maxMonths: 24 } });
  failsAlone(t, checkSmart(dueOn(TODAY), context), 'timeBound', ['TIME_BOUND_DUE_DATE_NOT_FUTURE']);
  failsAlone(t, checkSmart(dueOn('2026-03-01'), context), 'timeBound', ['TIME_BOUND_DUE_DATE_NOT_FUTURE']);
  passesAll(t, checkSmart(dueOn('2026-03-11'), context));
});

t.test('the horizon is at least minDays days', async (t) => {
  passesAll(t, checkSmart(dueOn('2026-03-17'), smartContext()));
  const short = checkSmart(dueOn('2026-03-16'), smartContext());
  failsAlone(t, short, 'achievable', ['ACHIEVABLE_HORIZON_TOO_SHORT']);
  t.match(short.letters.achievable.failures[0]?.message, /2026-03-16 is only 6 day\(s\) away; allow at least 7 days/);
});

t.test('the horizon is at most maxMonths calendar months', async (t) => {
  const noEnd = smartContext({ programmeEndsOn: null });
  passesAll(t, checkSmart(dueOn('2028-03-10'), noEnd));
  const long = checkSmart(dueOn('2028-03-11'), noEnd);
  failsAlone(t, long, 'achievable', ['ACHIEVABLE_HORIZON_TOO_LONG']);
  t.match(long.letters.achievable.failures[0]?.message, /latest allowed is 2028-03-10/);
});

t.test('month ends clamp', async (t) => {
  const oneMonth = (today: string) => smartContext({ today, programmeEndsOn: null, horizon: { minDays: 7, maxMonths: 1 } });
  passesAll(t, checkSmart(dueOn('2026-02-28'), oneMonth('2026-01-31')));
  failsAlone(t, checkSmart(dueOn('2026-03-01'), oneMonth('2026-01-31')), 'achievable', ['ACHIEVABLE_HORIZON_TOO_LONG']);
  passesAll(t, checkSmart(dueOn('2028-02-29'), oneMonth('2028-01-31')));
  failsAlone(t, checkSmart(dueOn('2028-03-01'), oneMonth('2028-01-31')), 'achievable', ['ACHIEVABLE_HORIZON_TOO_LONG']);
  const clamp = (date: string, months: number) => formatIsoDate(addCalendarMonths(parseIsoDate(date)!, months));
  t.equal(clamp('2024-02-29', 12), '2025-02-28');
  t.equal(clamp('2026-08-31', 1), '2026-09-30');
  t.equal(clamp('2026-11-30', 3), '2027-02-28');
});

t.test('due on the programme end date passes, one day after fails', async (t) => {
  passesAll(t, checkSmart(dueOn('2026-12-31'), smartContext()));
  failsAlone(t, checkSmart(dueOn('2027-01-01'), smartContext()), 'timeBound', ['TIME_BOUND_AFTER_PROGRAMME_END']);
});

t.test('a milestone on the due date passes, one day after fails', async (t) => {
  const withSecondMilestone = (date: string) =>
    validGoal({ milestones: [{ title: 'Shadow', dueOn: '2026-04-15' }, { title: 'Present', dueOn: date }] });
  passesAll(t, checkSmart(withSecondMilestone('2026-09-30'), smartContext()));
  const late = checkSmart(withSecondMilestone('2026-10-01'), smartContext());
  failsAlone(t, late, 'timeBound', ['TIME_BOUND_MILESTONE_AFTER_DUE']);
  t.match(late.letters.timeBound.failures[0], { path: 'milestones.1.dueOn', message: /2026-10-01, after the goal's due date 2026-09-30/ });
});

t.test('invalid dates are reported, never thrown', async (t) => {
  const badDue = checkSmart(dueOn('2026-02-30'), smartContext());
  failsAlone(t, badDue, 'timeBound', ['TIME_BOUND_INVALID_DATE']);
  t.equal(badDue.letters.timeBound.failures[0]?.path, 'dueOn');
  const badMilestone = checkSmart(validGoal({ milestones: [{ title: 'a', dueOn: '2026-4-1' }, { title: 'b', dueOn: '2026-05-01' }] }), smartContext());
  failsAlone(t, badMilestone, 'timeBound', ['TIME_BOUND_INVALID_DATE']);
  t.equal(badMilestone.letters.timeBound.failures[0]?.path, 'milestones.0.dueOn');
  const badToday = checkSmart(validGoal(), smartContext({ today: 'yesterday' }));
  t.same(codes(badToday, 'timeBound'), ['TIME_BOUND_INVALID_DATE']);
  t.equal(badToday.passed, false);
});

t.test('dates are plain calendar days in UTC', async (t) => {
  t.equal(parseIsoDate('2026-13-01'), null);
  t.equal(parseIsoDate('2025-02-29'), null);
  t.same(parseIsoDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
  t.equal(parseIsoDate(' 2026-01-01'), null);
  t.equal(toDayNumber({ year: 1970, month: 1, day: 2 }), 1);
  t.equal(toDayNumber({ year: 50, month: 1, day: 1 }) < toDayNumber({ year: 1950, month: 1, day: 1 }), true, 'year 0050 is not 1950');
});

t.test('vague wording warns only without a measure', async (t) => {
  const vague = { title: 'Get better at planning', outcome: 'I improve how I run the planning for my squad' };
  const milestonesOnly = { metrics: [], ...vague };
  const warned = checkSmart(validGoal(milestonesOnly), smartContext());
  passesAll(t, warned);
  t.same(warned.warnings.map((w) => w.code), ['VAGUE_WORDING']);
  t.match(warned.warnings[0]?.message, /"Get better"/);
  t.same(checkSmart(validGoal(vague), smartContext()).warnings, [], 'a metric with a numeric target is a measure');
  t.same(checkSmart(validGoal({ ...milestonesOnly, outcome: 'I improve planning so 3 peers rate it useful' }), smartContext()).warnings, [], 'a digit in the outcome is a measure');
  const wordsThatMerelyContainVague = { title: 'Moreover, improvements', outcome: 'Planning improvements for the Baltimore squad and moreover the tribe' };
  t.same(checkSmart(validGoal({ metrics: [], ...wordsThatMerelyContainVague }), smartContext()).warnings, [], 'matched on word boundaries');
});

const SUBSTANTIAL_WORDS = [
  'planning', 'squad', 'quarterly', 'review', 'deliver', 'roadmap', 'present', 'design', 'facilitate', 'workshop',
  'stakeholders', 'release', 'architecture', 'budget', 'hiring', 'onboarding', 'demos', 'sprint', 'customer', 'pricing',
];
const phrase = (min: number, max: number) =>
  fc.array(fc.constantFrom(...SUBSTANTIAL_WORDS), { minLength: min, maxLength: max }).map((words) => words.join(' '));

t.test('property: rewording title and outcome with substance keeps a passing goal passing', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(phrase(1, 8), phrase(4, 14), fc.boolean(), (title, outcome, noMetrics) => {
        const report = checkSmart(validGoal({ title, outcome, ...(noMetrics ? { metrics: [] } : {}) }), smartContext());
        return report.passed && report.warnings.length === 0;
      }),
    ),
  );
});

const isoDate = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const dateLike = fc.oneof(isoDate, fc.constant(null), fc.string({ maxLength: 12 }));
const text = fc.oneof(fc.string(), phrase(0, 10), fc.constantFrom('get better', 'promotion to team lead', ''));
const target = fc.oneof(fc.constant(null), fc.integer(), fc.double());
const anyDraft: fc.Arbitrary<GoalDraft> = fc.record({
  title: text,
  outcome: text,
  focus: fc.constantFrom(...GOAL_FOCUSES),
  relevance: text,
  dueOn: dateLike,
  metrics: fc.array(fc.record({ name: text, baseline: target, target, unit: fc.option(fc.string()) }), { maxLength: 3 }),
  milestones: fc.array(fc.record({ title: text, dueOn: dateLike }), { maxLength: 4 }),
  mentorConfirmedRealistic: fc.boolean(),
});
const anyContext: fc.Arbitrary<SmartContext> = fc.record({
  today: fc.oneof(isoDate, fc.string({ maxLength: 12 })),
  horizon: fc.record({ minDays: fc.integer({ min: 0, max: 90 }), maxMonths: fc.integer({ min: 1, max: 36 }) }),
  programmeEndsOn: dateLike,
  aspiration: fc.option(text),
});
const PREFIXES: Record<SmartLetter, string> = {
  specific: 'SPECIFIC_', measurable: 'MEASURABLE_', achievable: 'ACHIEVABLE_', relevant: 'RELEVANT_', timeBound: 'TIME_BOUND_',
};

t.test('property: passed is every letter passed, and codes belong to their letter', async (t) => {
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(anyDraft, anyContext, (draft, context) => {
        const report = checkSmart(draft, context);
        const letterOk = SMART_LETTERS.every((letter) => {
          const { passed, failures } = report.letters[letter];
          return passed === (failures.length === 0) && failures.every((f) => f.code.startsWith(PREFIXES[letter]) && f.message !== '');
        });
        const warningsOk = report.warnings.every((w) => ['VAGUE_WORDING', 'ASPIRATION_UNKNOWN'].includes(w.code));
        return letterOk && warningsOk && report.passed === SMART_LETTERS.every((letter) => report.letters[letter].passed);
      }),
      { numRuns: 500 },
    ),
  );
});

t.test('property: checkSmart never throws on arbitrary strings and numbers', async (t) => {
  const anyString = fc.string({ unit: 'binary' });
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.record({ draft: anyDraft, dueOn: fc.option(anyString), outcome: anyString, relevance: anyString }),
        fc.record({ today: anyString, programmeEndsOn: fc.option(anyString), aspiration: fc.option(anyString), minDays: fc.double(), maxMonths: fc.double() }),
        ({ draft, ...texts }, { minDays, maxMonths, ...context }) => {
          const report = checkSmart({ ...draft, ...texts }, { ...context, horizon: { minDays, maxMonths } });
          return typeof report.passed === 'boolean';
        },
      ),
      { numRuns: 500 },
    ),
  );
});
