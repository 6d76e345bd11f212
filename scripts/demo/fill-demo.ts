// Fills the demo organisation with a realistic programme on each built-in stage model, through
// the domain's own use cases (so every rule holds and every change writes its history, events and
// audit rows), under a controlled clock that spreads the history over the last six months.
import type { Database, DatabaseHandle } from '../../src/db/client.ts';
import type { Actor } from '../../src/domain/context.ts';
import type { Goal } from '../../src/domain/schemas/goal.ts';
import { createServices, type Services } from '../../src/domain/services.ts';
import { getBuiltInModel, opensRound, type StageModel } from '../../src/domain/stage-models/index.ts';
import { ASPIRATIONS, MENTEES, MENTORS, emailOf, type CastMember } from './cast.ts';
import { agreementFor, closingReflection, seeded, smartGoal } from './content.ts';

const DAY = 86_400_000;

/** One relationship's story: the moves it makes, in order, from its model's start. */
interface Story {
  path: string[];
  /** When it opens, in days before now. */
  startsDaysAgo: number;
  /** Also draft a vague goal that fails SMART and stays a draft. */
  vagueDraft?: boolean;
  /** Agree two goals; the second is dropped with a reason at the end. */
  twoGoals?: boolean;
}

interface ProgrammePlan {
  name: string;
  model: 'classic-4' | 'five-stage';
  description: string;
  discoveryRequired: boolean;
  stories: Story[];
}

/** The two demo programmes; their names mark the organisation as filled. */
export const DEMO_PROGRAMMES: ProgrammePlan[] = [
  {
    name: 'Leadership Pathway 2026',
    model: 'classic-4',
    description: 'Six-month mentoring for first-time and aspiring team leads.',
    discoveryRequired: true,
    stories: [
      { path: [], startsDaysAgo: 6 },
      { path: ['negotiation'], startsDaysAgo: 30, vagueDraft: true },
      { path: ['negotiation', 'growth'], startsDaysAgo: 75 },
      { path: ['negotiation', 'growth', 'negotiation', 'growth'], startsDaysAgo: 150 },
      { path: ['negotiation', 'growth', 'closure'], startsDaysAgo: 110, twoGoals: true },
      { path: ['negotiation', 'growth', 'closure', 'completed'], startsDaysAgo: 175 },
      { path: ['negotiation', 'growth', 'closure', 'negotiation', 'growth', 'closure', 'completed'], startsDaysAgo: 182 },
      { path: ['declined'], startsDaysAgo: 150 },
      { path: ['negotiation', 'growth', 'withdrawn'], startsDaysAgo: 140 },
    ],
  },
  {
    name: 'Engineering Growth Circles',
    model: 'five-stage',
    description: 'Engineers paired with senior mentors, with an explicit action plan per goal.',
    discoveryRequired: false,
    stories: [
      { path: [], startsDaysAgo: 4 },
      { path: ['goal_setting'], startsDaysAgo: 25, vagueDraft: true },
      { path: ['goal_setting', 'action_planning'], startsDaysAgo: 45 },
      { path: ['goal_setting', 'action_planning', 'implementation'], startsDaysAgo: 90 },
      { path: ['goal_setting', 'action_planning', 'implementation', 'action_planning', 'implementation'], startsDaysAgo: 130 },
      { path: ['goal_setting', 'action_planning', 'implementation', 'closure'], startsDaysAgo: 115 },
      { path: ['goal_setting', 'action_planning', 'implementation', 'closure', 'completed'], startsDaysAgo: 170, twoGoals: true },
      { path: ['declined'], startsDaysAgo: 100 },
      { path: ['goal_setting', 'withdrawn'], startsDaysAgo: 60 },
    ],
  },
];

export interface DemoOutcome {
  filled: boolean;
  programmes: { id: string; name: string }[];
  relationships: number;
}

/**
 * Fills `org` once: when its demo programmes already exist nothing is written (so running it
 * again changes nothing). Everything else is written in one transaction: a failure leaves no
 * half-filled organisation behind. Other organisations are never read or written.
 */
export async function fillDemo(database: DatabaseHandle, options: { org: string; now?: Date }): Promise<DemoOutcome> {
  const realNow = (options.now ?? new Date()).getTime();
  const admin: Actor = { sub: 'demo-admin', org: options.org, roles: ['admin'] };
  const existing = await createServices({ db: database.db, clock: () => new Date(realNow) }).listProgrammes(admin, { limit: 100 });
  const names = new Set(DEMO_PROGRAMMES.map((plan) => plan.name));
  const present = existing.items.filter((programme) => names.has(programme.name));
  if (present.length > 0) return { filled: false, programmes: present.map(({ id, name }) => ({ id, name })), relationships: 0 };

  // The clock the use cases read: moved forward by the scheduler below, never past the real now.
  let now = realNow - 200 * DAY;
  const clock = () => new Date(now);
  return database.db.transaction(async (tx) => {
    const services = createServices({ db: tx as unknown as Database, clock });
    const random = seeded(2026);
    now = realNow - 190 * DAY;
    const people = await services.batchUpsertPeople(admin, {
      people: [...MENTORS, ...MENTEES].map((member) => ({ ...member, email: emailOf(member) })),
    });
    const idOf = new Map(people.people.map((person) => [person.externalId!, person.id]));
    const stories: Scheduled[] = [];
    const programmes: { id: string; name: string }[] = [];
    let mentee = 0;
    let mentor = 0;
    for (const plan of DEMO_PROGRAMMES) {
      const programme = await services.createProgramme(admin, { name: plan.name, stageModelKey: plan.model, description: plan.description, discoveryRequired: plan.discoveryRequired });
      programmes.push({ id: programme.id, name: programme.name });
      for (const [index, story] of plan.stories.entries()) {
        const cast = { mentor: MENTORS[mentor++ % MENTORS.length]!, mentee: MENTEES[mentee++ % MENTEES.length]!, referral: MENTORS[(mentor + 3) % MENTORS.length]! };
        const world: World = { services, admin, clock, random, idOf, programme: { id: programme.id, discoveryMinutes: programme.discoveryMinutes, discoveryRequired: programme.discoveryRequired, model: getBuiltInModel(plan.model)! } };
        stories.push({ at: realNow - story.startsDaysAgo * DAY, run: tell(world, story, cast, ASPIRATIONS[index % ASPIRATIONS.length]!) });
      }
    }
    // A discrete-event loop: the story due first runs until it waits; the clock never goes back.
    const latest = realNow - 60_000;
    while (stories.length > 0) {
      stories.sort((a, b) => a.at - b.at);
      const next = stories.shift()!;
      now = Math.max(now, Math.min(next.at, latest));
      const step = await next.run.next();
      if (!step.done) stories.push({ at: now + step.value * DAY + Math.floor(random() * 8) * 3_600_000, run: next.run });
    }
    return { filled: true, programmes, relationships: DEMO_PROGRAMMES.reduce((sum, plan) => sum + plan.stories.length, 0) };
  });
}

interface Scheduled {
  at: number;
  run: AsyncGenerator<number, void, undefined>;
}

interface World {
  services: Services;
  admin: Actor;
  clock: () => Date;
  random: () => number;
  idOf: Map<string, string>;
  programme: { id: string; discoveryMinutes: number; discoveryRequired: boolean; model: StageModel };
}

/** One relationship's life; each `yield` waits that many days before the next thing happens. */
async function* tell(world: World, story: Story, cast: { mentor: CastMember; mentee: CastMember; referral: CastMember }, aspiration: string): AsyncGenerator<number, void, undefined> {
  const { services, admin, random } = world;
  const manager: Actor = { sub: 'demo-programme-manager', org: admin.org, roles: ['manager'] };
  const member = (person: CastMember): Actor => ({ sub: person.externalId, org: admin.org, roles: ['member'] });
  const days = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const relationship = await services.openRelationship(manager, { programmeId: world.programme.id, mentorId: world.idOf.get(cast.mentor.externalId)!, menteeId: world.idOf.get(cast.mentee.externalId)!, aspiration });
  const relationshipId = relationship.id;
  // `agreed` holds the open agreed goals of every round; `ofRound` those agreed in the current round (a loop back empties it).
  const state = { accepted: false, discovery: false, agreement: false, agreed: [] as Pick<Goal, 'id' | 'milestones' | 'tasks' | 'metrics'>[], ofRound: [] as Pick<Goal, 'id' | 'milestones' | 'tasks' | 'metrics'>[], goalsMade: 0 };
  yield days(1, 3);
  await services.acceptFit(member(cast.mentor), { relationshipId, acceptance: { note: 'Happy to work together.' } });

  const session = (kind: 'discovery' | 'regular' | 'closing', minutes: number, notes: string) =>
    services.logSession(member(cast.mentee), { relationshipId, session: { kind, heldAt: new Date(world.clock().getTime() - 3_600_000).toISOString(), minutes, notes } });

  const work: Record<string, () => AsyncGenerator<number, void, undefined>> = {
    async *both_accepted() {
      if (state.accepted) return;
      yield days(1, 4);
      await services.acceptFit(member(cast.mentee), { relationshipId, acceptance: {} });
      state.accepted = true;
    },
    async *discovery_held() {
      if (!world.programme.discoveryRequired || state.discovery) return;
      await session('discovery', world.programme.discoveryMinutes, 'Talked through the aspiration and what each of us expects.');
      state.discovery = true;
      yield days(1, 3);
    },
    async *agreement_set() {
      if (state.agreement) return;
      await services.setAgreement(manager, { relationshipId, agreement: agreementFor(cast.mentor) });
      state.agreement = true;
      yield days(1, 3);
    },
    async *smart_goal_agreed() {
      if (state.ofRound.length > 0) return;
      // After a loop back the new goal feeds into the goal still open from before, when there is one.
      const parentGoalId = state.agreed[0]?.id;
      for (let count = 0; count < (story.twoGoals ? 2 : 1); count++) {
        const goal = await services.createGoal(manager, { relationshipId, goal: { ...smartGoal(world.clock(), state.goalsMade++, aspiration), ...(parentGoalId ? { parentGoalId } : {}) } });
        yield days(2, 6);
        await services.agreeGoal(manager, { relationshipId, goalId: goal.id, agreement: {} });
        state.agreed.push(goal);
        state.ofRound.push(goal);
      }
    },
    async *action_plan_ready() {
      // The agreed goals carry their tasks, each due before the goal.
    },
    async *goals_resolved() {
      for (const [index, goal] of state.agreed.entries()) {
        for (const milestone of goal.milestones) {
          await services.completeMilestone(manager, { relationshipId, goalId: goal.id, milestoneId: milestone.id });
          yield days(3, 9);
        }
        if (index === 0) {
          for (const task of goal.tasks) await services.completeTask(member(cast.mentee), { relationshipId, goalId: goal.id, taskId: task.id });
          const metric = goal.metrics[0]!;
          await services.recordMetricReading(member(cast.mentee), { relationshipId, goalId: goal.id, metricId: metric.id, reading: { value: metric.target ?? 1, note: 'Target reached.' } });
          await services.achieveGoal(manager, { relationshipId, goalId: goal.id });
        }
        else await services.dropGoal(manager, { relationshipId, goalId: goal.id, drop: { reason: 'Priorities changed after the reorganisation.' } });
        yield days(1, 4);
      }
      state.agreed = [];
    },
    async *reflections_recorded() {
      await session('closing', 45, 'Looked back at the goals and what comes next.');
      for (const party of ['mentor', 'mentee'] as const) {
        yield days(1, 5);
        await services.recordReflection(member(party === 'mentor' ? cast.mentor : cast.mentee), { relationshipId, reflection: closingReflection(party) });
      }
    },
  };

  if (story.vagueDraft) {
    yield days(2, 5);
    // Fails SMART (no measure, no date, no relevance): it stays a draft until it is reworked.
    await services.createGoal(manager, { relationshipId, goal: { title: 'Get better at communication', outcome: 'Improve.', focus: 'soft_skill' } });
  }
  let stage = world.programme.model.start;
  for (const to of story.path) {
    const move = world.programme.model.transitions.find((transition) => transition.from === stage && transition.to === to);
    for (const guard of move?.guards ?? []) yield* work[guard]!();
    yield days(1, 4);
    const mover = member(random() < 0.5 ? cast.mentor : cast.mentee);
    if (to === 'declined') {
      await services.transitionRelationship(member(cast.mentor), { relationshipId, move: { to, reason: `My calendar is full this half; ${cast.referral.name} is a better fit.`, referralMentorId: world.idOf.get(cast.referral.externalId)! } });
    } else if (to === 'withdrawn') {
      await services.transitionRelationship(mover, { relationshipId, move: { to, reason: 'Moved to another team with its own mentoring scheme.' } });
    } else {
      await services.transitionRelationship(mover, { relationshipId, move: { to } });
    }
    if (!world.programme.model.stages.includes(to)) return;
    if (opensRound(world.programme.model, stage, to)) state.ofRound = [];
    stage = to;
    if (['growth', 'implementation'].includes(stage)) yield* doTheWork();
  }

  async function* doTheWork(): AsyncGenerator<number, void, undefined> {
    const meetings = days(2, 4);
    for (let meeting = 0; meeting < meetings; meeting++) {
      yield days(6, 12);
      await session('regular', 30 + 15 * days(0, 3), meeting === 0 ? 'Agreed on the first steps.' : 'Reviewed progress on the milestones.');
    }
    // The work itself: the first task done, and a check-in on each goal's KPI.
    for (const goal of state.ofRound) {
      await services.completeTask(member(cast.mentee), { relationshipId, goalId: goal.id, taskId: goal.tasks[0]!.id, completion: { note: 'Done; notes shared before our session.' } });
      const metric = goal.metrics[0]!;
      await services.recordMetricReading(member(cast.mentee), { relationshipId, goalId: goal.id, metricId: metric.id, reading: { value: Math.min(metric.target ?? 1, (metric.baseline ?? 0) + 1), note: 'First check-in.' } });
    }
    yield days(2, 6);
    await services.recordReflection(member(cast.mentee), { relationshipId, reflection: { kind: 'progress', party: 'mentee', text: 'The sessions keep me honest about the plan; the first milestone felt good.' } });
  }
}
