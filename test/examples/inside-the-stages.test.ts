import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, closingReflection, daysFromNow, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { gql } from '../graphql/gql-client.ts';
import { manualClock } from '../webhooks/helpers/clock.ts';

// The seed journeys inside the stages, end to end on both built-in models, as a pair and their
// programme live them: the mentee books the free discovery call, it is held, the pair agrees a
// rhythm and goals, plans the work without losing agreement, does it (tasks, KPI readings,
// milestones celebrated), edits a goal without losing its history, and closes.
const clock = manualClock(Date.parse('2027-03-01T09:00:00Z'));
const { app, auth, database } = await buildTestApp(t, { clock: clock.clock });
const DAY = 86_400_000;

interface Model {
  key: 'classic-4' | 'five-stage';
  /** The first stage, the stage goals are agreed in, and the stage the work is done in. */
  start: string;
  goals: string;
  work: string;
}
const MODELS: Model[] = [
  { key: 'classic-4', start: 'initiation', goals: 'negotiation', work: 'growth' },
  { key: 'five-stage', start: 'rapport', goals: 'goal_setting', work: 'implementation' },
];

/** The implementation screen: stage, the action plan's progress and the KPIs' progress in one query. */
const IMPLEMENTATION_SCREEN = `query ($id: ID!) {
  relationship(id: $id) {
    stage version hopes challenges
    goals { title status taskProgress { done total } tasks { title doneAt doneBy } metrics { name baseline target current { value } progress readings { value } } milestones { title doneAt } }
    rhythm { nextExpectedAt expectedSoFar heldSoFar }
    nextStages { stage allowed blockers { code } }
  }
}`;

for (const model of MODELS) {
  t.test(`${model.key}: discovery call, rhythm, goals, the work, an edit that keeps history, closure`, async (t) => {
    clock.set(new Date('2027-03-01T09:00:00Z'));
    const org = uniqueOrg(`inside-${model.key}`);
    const admin = client(app, auth({ org }));
    const programme = await admin.must('POST', '/v1/programmes', { name: `Inside the stages (${model.key})`, stageModelKey: model.key, discoveryRequired: true, discoveryMinMinutes: 15 });
    const mentor = await admin.must('POST', '/v1/people', personInput({ name: 'Maya Mentor', skills: ['planning'] }));
    const mentee = await admin.must('POST', '/v1/people', personInput({ name: 'Theo Mentee' }));
    const rel = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion to team lead' });
    t.equal(rel.stage, model.start);
    const url = `/v1/relationships/${rel.id}`;
    const asMentee = client(app, auth({ org, roles: ['member'], sub: mentee.id }));
    const asMentor = client(app, auth({ org, roles: ['member'], sub: mentor.id }));

    // Seed 000: "mentees can schedule a free 20-minute discovery call", from the very first stage.
    const call = await asMentee.must('POST', `${url}/sessions/planned`, { kind: 'discovery', plannedAt: '2027-03-02T10:00:00.000Z', agenda: 'Is this a fit?' });
    t.match(call, { kind: 'discovery', status: 'planned', plannedMinutes: 20, heldAt: null });
    await asMentor.must('POST', `${url}/acceptances`, { note: 'Happy to help with planning.' });
    const accepted = await asMentee.must('POST', `${url}/acceptances`, { note: 'Maya leads planning already.' });
    t.equal(accepted.menteeAcceptanceNote, 'Maya leads planning already.', 'the acceptance note is kept');
    if (model.key === 'five-stage') {
      const rapport = await asMentee.must('PUT', `${url}/rapport`, { hopes: 'Lead planning by autumn.', challenges: 'Little time; a new manager.' });
      t.same([rapport.hopes, rapport.challenges], ['Lead planning by autumn.', 'Little time; a new manager.'], "seed 001's rapport: hopes and challenges shared");
    }
    const notYet = await admin.call('POST', `${url}/transitions`, { to: model.goals });
    t.same(notYet.body.blockers.map((b: { code: string }) => b.code), ['DISCOVERY_NOT_HELD'], 'the programme requires the discovery call');
    const early = await asMentee.call('POST', `${url}/sessions/${call.id}/held`, { heldAt: '2027-03-02T10:00:00Z' });
    t.equal(early.status, 400, 'a held session is never in the future');

    clock.set(new Date('2027-03-02T10:30:00Z'));
    const held = await asMentee.must('POST', `${url}/sessions/${call.id}/held`, { notes: 'A good fit.' });
    t.match(held, { status: 'held', heldAt: '2027-03-02T10:00:00.000Z', minutes: 20 }, 'held at its planned time, for its planned length');
    await admin.must('POST', `${url}/transitions`, { to: model.goals });

    // The agreement, with the pair's rhythm: Tuesdays 16:00 London time, through the change to summer time (28 March).
    const rhythm = { rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2027-03-09T16:00', minutes: 45 };
    const agreed = await admin.must('PUT', `${url}/agreement`, { ...agreementInput(), rhythm });
    t.same(agreed.agreement.rhythm, rhythm);
    t.equal((await admin.must('GET', `${url}/rhythm`)).nextExpectedAt, '2027-03-09T16:00:00.000Z');

    const now = () => clock.now;
    const goal = await admin.must(
      'POST',
      `${url}/goals`,
      smartGoalInput({
        dueOn: daysFromNow(120, now()),
        milestones: [
          { title: 'Shadow the current lead', dueOn: daysFromNow(30, now()) },
          { title: 'Co-lead a session', dueOn: daysFromNow(75, now()) },
        ],
        // The five-stage model plans the work in its own stage, after the goal is agreed.
        tasks: model.key === 'five-stage' ? [] : [{ title: 'Read the planning handbook', dueOn: daysFromNow(20, now()) }],
      }),
    );
    const goalUrl = `${url}/goals/${goal.id}`;
    t.equal((await admin.must('POST', `${goalUrl}/agree`, {})).status, 'agreed');
    if (model.key === 'five-stage') await admin.must('POST', `${url}/transitions`, { to: 'action_planning' });
    else await admin.must('POST', `${url}/transitions`, { to: model.work });

    // Planning the work (more tasks) never un-agrees the goal.
    const plan = [
      ...(goal.tasks as { id: string; title: string; dueOn: string }[]).map((task) => ({ id: task.id, title: task.title, dueOn: task.dueOn })),
      ...(model.key === 'five-stage' ? [{ title: 'Read the planning handbook', dueOn: daysFromNow(20, now()) }] : []),
      { title: 'Meet the current planning lead', dueOn: daysFromNow(40, now()), resources: ['Ana, head of delivery'] },
    ];
    const planned = await admin.must('PATCH', goalUrl, { tasks: plan });
    t.equal(planned.status, 'agreed', 'planning tasks keeps the goal agreed');
    t.equal(planned.reopened, null);
    t.same(planned.taskProgress, { done: 0, total: 2 });
    if (model.key === 'five-stage') await admin.must('POST', `${url}/transitions`, { to: model.work });
    t.equal((await admin.must('GET', url)).stage, model.work);

    // The work: sessions on the rhythm, a task done, a KPI reading, a milestone celebrated.
    clock.set(new Date('2027-03-31T12:00:00Z'));
    for (const heldAt of ['2027-03-09T16:00:00Z', '2027-03-16T16:05:00Z', '2027-03-30T15:00:00Z']) {
      await admin.must('POST', `${url}/sessions`, { kind: 'regular', heldAt, minutes: 45 });
    }
    const status = await admin.must('GET', `${url}/rhythm`);
    t.match(status, { expectedSoFar: 4, heldSoFar: 3, nextExpectedAt: '2027-04-06T15:00:00.000Z' }, 'four Tuesdays so far; after 28 March 16:00 London is 15:00 UTC');
    const [handbook, meeting] = planned.tasks;
    const done = await asMentee.must('POST', `${goalUrl}/tasks/${handbook.id}/complete`, { note: 'Notes in our shared doc.' });
    t.same(done.taskProgress, { done: 1, total: 2 });
    const tooEarly = await asMentor.must('POST', `${goalUrl}/tasks/${meeting.id}/complete`);
    t.same(tooEarly.taskProgress, { done: 2, total: 2 });
    const reopened = await asMentor.must('POST', `${goalUrl}/tasks/${meeting.id}/reopen`, { note: 'The meeting was moved.' });
    t.same(reopened.taskProgress, { done: 1, total: 2 }, 'a task done too early is reopened');
    // Sessions planned ahead: one cancelled, one that will be missed.
    const cancelled = await admin.must('POST', `${url}/sessions/planned`, { plannedAt: '2027-04-06T15:00:00Z', agenda: 'Q2 plan' });
    t.equal((await asMentor.must('POST', `${url}/sessions/${cancelled.id}/cancellation`, { reason: 'Offsite' })).status, 'cancelled');
    const toMiss = await admin.must('POST', `${url}/sessions/planned`, { plannedAt: '2027-04-13T15:00:00Z' });
    t.equal(toMiss.plannedMinutes, 60);
    const metric = planned.metrics[0];
    const reading = await asMentee.must('POST', `${goalUrl}/metrics/${metric.id}/readings`, { value: 1, note: 'Led the Q1 planning' });
    t.same([reading.goal.metrics[0].current.value, reading.goal.metrics[0].progress, reading.goal.status], [1, 0.5, 'agreed'], 'halfway from baseline 0 to target 2; still agreed');
    const celebrated = await admin.must('POST', `${goalUrl}/milestones/${planned.milestones[0].id}/complete`);
    t.ok(celebrated.milestones[0].doneAt, 'a little win celebrated');

    if (model.key === 'five-stage') {
      // One GraphQL query: the relationship in implementation with its task and KPI progress.
      const screen = await gql(app, auth({ org })).must(IMPLEMENTATION_SCREEN, { id: rel.id });
      const r = screen.relationship;
      t.equal(r.stage, 'implementation');
      t.same([r.hopes, r.challenges], ['Lead planning by autumn.', 'Little time; a new manager.']);
      t.same(r.goals.map((g: { status: string; taskProgress: unknown }) => [g.status, g.taskProgress]), [['agreed', { done: 1, total: 2 }]], 'task progress: 1 of 2');
      t.same(r.goals[0].tasks.map((task: { doneAt: string | null; doneBy: string | null }) => [task.doneAt !== null, task.doneBy]), [[true, mentee.id], [false, null]]);
      t.same(r.goals[0].metrics, [{ name: 'Planning sessions led', baseline: 0, target: 2, current: { value: 1 }, progress: 0.5, readings: [{ value: 1 }] }], 'KPI progress: 1 of 0 → 2');
      t.same(r.goals[0].milestones.map((m: { doneAt: string | null }) => m.doneAt !== null), [true, false]);
      t.same(r.rhythm, { nextExpectedAt: '2027-04-06T15:00:00.000Z', expectedSoFar: 4, heldSoFar: 3 });
      t.same(r.nextStages.find((s: { stage: string }) => s.stage === 'closure'), { stage: 'closure', allowed: false, blockers: [{ code: 'GOAL_NOT_RESOLVED' }] });
    }

    // An edit that moves a milestone's date reopens agreement, and keeps the completed milestone, its id and doneAt.
    const edited = await admin.must('PATCH', goalUrl, {
      milestones: [
        ...celebrated.milestones.map((m: { id: string; title: string; dueOn: string }) => ({ id: m.id, title: m.title, dueOn: m.dueOn })),
        { title: 'Lead a session alone', dueOn: daysFromNow(80, now()) },
      ],
    });
    t.equal(edited.status, 'draft');
    t.same(edited.reopened.because, ['milestoneDates'], 'the edit says which agreed term changed');
    t.same(
      edited.milestones.slice(0, 2).map((m: { id: string; doneAt: string | null }) => [m.id, m.doneAt]),
      celebrated.milestones.map((m: { id: string; doneAt: string | null }) => [m.id, m.doneAt]),
      'completed milestones keep their ids and doneAt',
    );
    t.same(edited.taskProgress, { done: 1, total: 2 }, 'and tasks their completion');
    t.equal(edited.metrics[0].current.value, 1, 'and the KPI its readings');
    await admin.must('POST', `${goalUrl}/agree`, {});

    // Seed 000: new areas discovered take the pair back to negotiation, where "you'll need to draw up new
    // SMART goals, which might feed into their original goals": the loop opens round 2, and the goal
    // agreed in round 1 does not let them move on again.
    const forward = model.key === 'five-stage' ? ['action_planning', 'implementation'] : [model.work];
    const looped = await asMentee.must('POST', `${url}/transitions`, { to: model.goals, reason: 'New area: presenting the plan to leadership' });
    t.same([looped.stage, looped.round], [model.goals, 2], 'the loop back opens round 2');
    const refused = await admin.call('POST', `${url}/transitions`, { to: forward[0] });
    t.equal(refused.status, 409);
    t.same(refused.body.blockers.map((b: { code: string }) => b.code), ['NO_GOAL_AGREED_IN_ROUND'], 'the goal agreed in round 1 does not count for round 2');
    t.match(refused.body.blockers[0].message, /round 2/, 'the blocker names the round');
    const feeding = await admin.must(
      'POST',
      `${url}/goals`,
      smartGoalInput({
        title: 'Present the quarterly plan to the leadership team',
        focus: 'soft_skill',
        parentGoalId: goal.id,
        dueOn: daysFromNow(90, now()),
        milestones: [{ title: 'Dry run with Maya', dueOn: daysFromNow(30, now()) }, { title: 'Present it', dueOn: daysFromNow(60, now()) }],
        tasks: [{ title: 'Draft the slides', dueOn: daysFromNow(20, now()) }],
      }),
    );
    t.same([feeding.parentGoalId, feeding.round], [goal.id, null], 'a new goal names the goal it feeds into');
    const draftNamed = await admin.call('POST', `${url}/transitions`, { to: forward[0] });
    t.match(draftNamed.body.blockers, [{ code: 'NO_GOAL_AGREED_IN_ROUND', target: { type: 'goal', id: feeding.id }, message: /Present the quarterly plan/ }], 'and the draft that would satisfy it');
    await asMentor.must('POST', `${url}/goals/${feeding.id}/agree`, {});
    const feedingAgreed = await asMentee.must('POST', `${url}/goals/${feeding.id}/agree`, {});
    t.same([feedingAgreed.status, feedingAgreed.round], ['agreed', 2], 'agreed by both in round 2');
    for (const to of forward) await asMentor.must('POST', `${url}/transitions`, { to });
    const goalsNow = await admin.must('GET', `${url}/goals`);
    t.same(
      goalsNow.items.map((g: { title: string; round: number | null; parentGoalId: string | null }) => [g.title, g.round, g.parentGoalId]),
      [[goal.title, 1, null], [feeding.title, 2, goal.id]],
      'each goal shows the round it was agreed in, and its lineage',
    );
    if (model.key === 'five-stage') {
      const screen = await gql(app, auth({ org })).must(`query ($id: ID!) { relationship(id: $id) { stage round goals { title round parentGoalId } history { toStage round } } }`, { id: rel.id });
      t.equal(screen.relationship.round, 2, 'GraphQL shows the round');
      t.same(screen.relationship.goals.map((g: { round: number }) => g.round), [1, 2]);
      t.same(screen.relationship.goals[1].parentGoalId, goal.id);
      t.same(screen.relationship.history.map((h: { round: number }) => h.round), [1, 1, 1, 1, 2, 2, 2]);
    }

    // Finish the work and close.
    clock.set(new Date('2027-05-04T12:00:00Z'));
    t.equal((await admin.must('POST', `${url}/sessions/${toMiss.id}/missed`, { reason: 'Nobody came' })).status, 'missed');
    const sideGoal = await admin.must('POST', `${url}/goals`, smartGoalInput({ title: 'Speak at the all-hands', focus: 'soft_skill', dueOn: daysFromNow(60, now()), milestones: [], tasks: [] }));
    t.equal((await admin.must('POST', `${url}/goals/${sideGoal.id}/drop`, { reason: 'The all-hands was cancelled.' })).status, 'dropped');
    await asMentor.must('POST', `${goalUrl}/tasks/${meeting.id}/complete`);
    const target = await asMentee.must('POST', `${goalUrl}/metrics/${metric.id}/readings`, { value: 2 });
    t.equal(target.goal.metrics[0].progress, 1);
    for (const m of edited.milestones.slice(1)) await admin.must('POST', `${goalUrl}/milestones/${m.id}/complete`);
    const achieved = await admin.must('POST', `${goalUrl}/achieve`);
    t.same([achieved.status, achieved.taskProgress], ['achieved', { done: 2, total: 2 }]);
    t.match(achieved.achievement, { basis: 'evidence', reason: null, marked: { party: 'mentor', onBehalf: true }, confirmed: { party: 'mentee', onBehalf: true } }, 'its KPI at target is the evidence; staff acted for both, on their behalf');

    // "Achieved" without evidence needs a reason, and the other party's confirmation.
    const unevidenced = await asMentor.call('POST', `${url}/goals/${feeding.id}/achieve`, {});
    t.equal(unevidenced.status, 400, 'no metric reading and no milestone done: a reason is required');
    t.match(JSON.stringify(unevidenced.body.errors), /achievedDespite/, 'the problem names achievedDespite');
    t.match(unevidenced.body.detail, /milestone "Dry run with Maya" is not done/, 'and says what the evidence lacks');
    const marked = await asMentor.must('POST', `${url}/goals/${feeding.id}/achieve`, { achievedDespite: 'Presented the plan at the all-hands, without the dry run.' });
    t.match(marked, { status: 'agreed', achievement: { basis: 'reason', reason: 'Presented the plan at the all-hands, without the dry run.', marked: { party: 'mentor', onBehalf: false }, confirmed: null } }, 'pending until the mentee confirms');
    t.equal((await asMentor.call('POST', `${url}/goals/${feeding.id}/achieve`, {})).status, 409, 'the mentor cannot confirm their own mark');
    const unconfirmed = await admin.call('POST', `${url}/transitions`, { to: 'closure' });
    t.match(unconfirmed.body.blockers, [{ code: 'GOAL_ACHIEVEMENT_UNCONFIRMED', target: { id: feeding.id }, message: /mentee has not confirmed/ }], 'a pending goal is not resolved');
    const confirmed = await asMentee.must('POST', `${url}/goals/${feeding.id}/achieve`, {});
    t.match(confirmed, { status: 'achieved', achievement: { basis: 'reason', marked: { party: 'mentor' }, confirmed: { party: 'mentee', onBehalf: false } } }, 'achieved once the mentee confirms');
    await admin.must('POST', `${url}/transitions`, { to: 'closure' });
    await admin.must('POST', `${url}/sessions`, { kind: 'closing', heldAt: '2027-05-04T11:00:00Z', minutes: 45 });
    await asMentor.must('POST', `${url}/reflections`, closingReflection('mentor'));
    await asMentee.must('POST', `${url}/reflections`, closingReflection('mentee'));

    // Seed 000: at closure the pair may "work on something else together and revisit the negotiation and
    // growth stages once again": round 3 needs its own goal, and its closure its own reflections.
    const again = await admin.must('POST', `${url}/transitions`, { to: model.goals, reason: 'One more thing before we part: a stretch goal' });
    t.same([again.stage, again.round], [model.goals, 3], 'the loop back from closure opens round 3');
    const stretch = await admin.must(
      'POST',
      `${url}/goals`,
      smartGoalInput({ title: 'Run the planning offsite for two teams', dueOn: daysFromNow(100, now()), milestones: [{ title: 'Agenda agreed', dueOn: daysFromNow(30, now()) }, { title: 'Offsite held', dueOn: daysFromNow(90, now()) }], tasks: [{ title: 'Book the room', dueOn: daysFromNow(14, now()) }] }),
    );
    await admin.must('POST', `${url}/goals/${stretch.id}/agree`, {});
    for (const to of forward) await admin.must('POST', `${url}/transitions`, { to });
    t.equal((await admin.must('POST', `${url}/goals/${stretch.id}/drop`, { reason: 'The offsite moved to next year.' })).status, 'dropped');
    await admin.must('POST', `${url}/transitions`, { to: 'closure' });
    const notAgain = await admin.call('POST', `${url}/transitions`, { to: 'completed' });
    t.equal(notAgain.status, 409);
    t.same(
      notAgain.body.blockers.map((b: { code: string }) => b.code).sort(),
      ['MENTEE_REFLECTION_MISSING', 'MENTOR_REFLECTION_MISSING'],
      "the first closure's reflections do not complete the second",
    );
    t.match(notAgain.body.blockers[0].message, /round 3/);
    await asMentor.must('POST', `${url}/reflections`, closingReflection('mentor'));
    const half = await admin.call('POST', `${url}/transitions`, { to: 'completed' });
    t.same(half.body.blockers.map((b: { code: string }) => b.code), ['MENTEE_REFLECTION_MISSING'], 'until both reflect again');
    await asMentee.must('POST', `${url}/reflections`, closingReflection('mentee'));
    const completed = await admin.must('POST', `${url}/transitions`, { to: 'completed' });
    t.same([completed.status, completed.round], ['completed', 3]);
    const closing = (await admin.must('GET', `${url}/reflections?limit=100`)).items.filter((r: { kind: string }) => r.kind === 'closing');
    t.same(closing.map((r: { authorParty: string; round: number }) => [r.authorParty, r.round]), [['mentor', 2], ['mentee', 2], ['mentor', 3], ['mentee', 3]], 'each closure keeps its own reflections');
    const history = (await admin.must('GET', `${url}/transitions?limit=100`)).items as { fromStage: string | null; toStage: string; round: number }[];
    t.same(
      history.filter((h, i) => i > 0 && h.round !== history[i - 1]!.round).map((h) => [h.fromStage, h.toStage, h.round]),
      [[model.work, model.goals, 2], ['closure', model.goals, 3]],
      'the history records each loop as the start of a round',
    );

    // Every change emitted an event carrying the relationship version, in step with the relationship.
    const events = await database.rows<{ type: string; payload: { relationshipId?: string; version?: unknown; round?: unknown } }>(
      sql`select type, payload from outbox_events where org_id = ${org} order by seq`,
    );
    const ofPair = events.filter((e) => e.payload.relationshipId === rel.id);
    t.same(
      [...new Set(ofPair.map((e) => e.type))].sort(),
      [
        'goal.achieved',
        'goal.achievement_marked',
        'goal.agreed',
        'goal.drafted',
        'goal.dropped',
        'goal.updated',
        'metric.recorded',
        'milestone.completed',
        'reflection.recorded',
        'relationship.agreement_set',
        'relationship.accepted',
        'relationship.completed',
        'relationship.opened',
        ...(model.key === 'five-stage' ? ['relationship.rapport_set'] : []),
        'relationship.stage_changed',
        'session.cancelled',
        'session.held',
        'session.logged',
        'session.missed',
        'session.planned',
        'task.completed',
        'task.reopened',
      ].sort(),
      'the event types of the journey',
    );
    const five = model.key === 'five-stage';
    t.same(
      ofPair.filter((e) => e.type === 'relationship.stage_changed').map((e) => e.payload.round),
      [1, ...(five ? [1, 1] : [1]), 2, ...(five ? [2, 2] : [2]), 2, 3, ...(five ? [3, 3] : [3]), 3, 3],
      'each stage change says its round',
    );
    const unversioned = ofPair.filter((e) => typeof e.payload.version !== 'number').map((e) => e.type);
    t.same(unversioned, [], 'every event carries the relationship version');
    const versions = ofPair.map((e) => e.payload.version as number);
    t.same(versions, [...versions].sort((a, b) => a - b), 'versions never go back');
    t.equal(versions.at(-1), completed.version, 'the last event carries the final version');
    t.ok(clock.now.getTime() - Date.parse(status.nextExpectedAt) > DAY, 'the clock moved past the expected session');
  });
}
