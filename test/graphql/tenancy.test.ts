import t from 'tap';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import type { Actor } from '../../src/domain/context.ts';
import { createServices } from '../../src/domain/services.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput } from '../helpers/fixtures.ts';
import { ACCEPT_FIT, COMPLETE_TASK, RECORD_READING, RELATIONSHIP_SCREEN, RELATIONSHIPS_PAGE, REOPEN_TASK, SET_RAPPORT, TRANSITION } from './documents.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { gql } from './gql-client.ts';
import { seedPair } from './seed.ts';

// Same tenancy as REST: another organisation's ids do not exist, and members see only their own.
const { app, auth, config, database } = await buildTestApp(t);

t.test("another organisation's ids resolve to null with NOT_FOUND", async (t) => {
  const theirs = await seedPair(gql(app, auth({ org: uniqueOrg('theirs') })));
  const ours = gql(app, auth({ org: uniqueOrg('ours') }));
  const probes: [string, string][] = [
    ['relationship', theirs.relationship.id],
    ['programme', theirs.programme.id],
    ['person', theirs.mentor.id],
  ];
  for (const [field, id] of probes) {
    const response = await ours.call(`query ($id: ID!) { ${field}(id: $id) { id } }`, { id });
    t.equal(response.status, 200, `${field}: the request ran`);
    t.same(response.data, { [field]: null }, `${field}: null`);
    t.equal(response.errors?.[0]?.extensions.code, 'NOT_FOUND', `${field}: NOT_FOUND`);
    t.same(response.errors?.[0]?.path, [field]);
  }
  const move = await ours.refusal(TRANSITION, { id: theirs.relationship.id, input: { to: 'withdrawn', reason: 'hostile' } });
  t.equal(move.extensions.code, 'NOT_FOUND', 'nor can it be changed');
  const before = await rowCounts(database);
  const work = { id: theirs.relationship.id, goalId: theirs.goal.id };
  for (const [name, document, variables] of [
    ['completeTask', COMPLETE_TASK, { ...work, taskId: theirs.goal.tasks[0].id, input: { note: 'hostile' } }],
    ['reopenTask', REOPEN_TASK, { ...work, taskId: theirs.goal.tasks[0].id }],
    ['recordMetricReading', RECORD_READING, { ...work, metricId: theirs.goal.metrics[0].id, input: { value: 99 } }],
    ['setRapport', SET_RAPPORT, { id: theirs.relationship.id, input: { hopes: 'hostile' } }],
  ] as const) {
    t.equal((await ours.refusal(document, variables)).extensions.code, 'NOT_FOUND', `${name}: their work does not exist for us`);
  }
  t.same(await rowCounts(database), before, 'and nothing of theirs changed');
  const listed = await ours.must(RELATIONSHIPS_PAGE, { filter: { programmeId: theirs.programme.id } });
  t.same(listed.relationships.edges, [], 'nor listed');
  const screen = await gql(app, auth({ org: uniqueOrg('theirs-check') })).call(RELATIONSHIP_SCREEN, { id: theirs.relationship.id });
  t.same(screen.data, { relationship: null });
});

t.test('a member sees and changes only the relationships they are a party to', async (t) => {
  const org = uniqueOrg('member');
  const admin = gql(app, auth({ org }));
  const mine = await seedPair(admin);
  const other = await seedPair(admin, mine.programme.id);
  const member = gql(app, auth({ org, roles: ['member'], sub: mine.mentee.id }));

  const { relationships } = await member.must(RELATIONSHIPS_PAGE, { first: 100 });
  t.same(
    relationships.edges.map((e: { node: { id: string } }) => e.node.id),
    [mine.relationship.id],
    'their own relationship only',
  );
  t.equal(relationships.edges[0].node.mentor.id, mine.mentor.id, 'with the counterpart they are paired with');
  t.equal(relationships.edges[0].node.goals[0].id, mine.goal.id);

  const foreign = await member.call(RELATIONSHIP_SCREEN, { id: other.relationship.id });
  t.same(foreign.data, { relationship: null });
  t.equal(foreign.errors?.[0]?.extensions.code, 'NOT_FOUND', "another pair's relationship does not exist for them");
  const stranger = await member.call('query ($id: ID!) { person(id: $id) { id } }', { id: other.mentor.id });
  t.equal(stranger.errors?.[0]?.extensions.code, 'NOT_FOUND', 'nor do people they are not paired with');

  const accepted = await member.must(ACCEPT_FIT, { id: mine.relationship.id });
  t.ok(accepted.acceptFit.menteeAcceptedAt, 'a member accepts as themselves');
  t.notOk(accepted.acceptFit.mentorAcceptedAt);
  const refused = await member.refusal(ACCEPT_FIT, { id: other.relationship.id, party: 'mentee' });
  t.equal(refused.extensions.code, 'NOT_FOUND');
  const people = await member.refusal('{ people { nodes { id } } }');
  t.equal(people.extensions.code, 'FORBIDDEN', 'listing the organisation is for organisation roles');
});

t.test('relationships page through the domain cursors', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('pages') }));
  const first = await seedPair(api);
  await seedPair(api, first.programme.id);
  await seedPair(api, first.programme.id);
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const { relationships: page } = await api.must(RELATIONSHIPS_PAGE, { first: 2, after });
    seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
    t.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null, 'endCursor is the last edge cursor');
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    pages++;
  } while (after && pages < 5);
  t.equal(pages, 2);
  t.equal(new Set(seen).size, 3, 'every relationship once');
  const bad = await api.refusal(RELATIONSHIPS_PAGE, { after: 'not-a-cursor' });
  t.equal(bad.extensions.code, 'BAD_USER_INPUT');
  const tooMany = await api.refusal(RELATIONSHIPS_PAGE, { first: 101 });
  t.equal(tooMany.extensions.code, 'BAD_USER_INPUT', 'pages hold at most 100');
});

t.test("an integration client's scopes hold for every batched field too", async (t) => {
  const org = uniqueOrg('scopes');
  const pair = await seedPair(gql(app, auth({ org })));
  const token = signDevelopmentToken(config, { org, roles: ['integration'], sub: 'narrow-client', scope: 'relationships:read' });
  const narrow = gql(app, { authorization: `Bearer ${token}` });
  const response = await narrow.call(
    `query ($id: ID!) { relationship(id: $id) { id mentorId mentor { name } goals { id } nextStages { stage } programme { name } } }`,
    { id: pair.relationship.id },
  );
  t.equal(response.data.relationship.mentorId, pair.mentor.id, 'relationships:read gives the relationship, its goals and moves');
  t.equal(response.data.relationship.goals[0].id, pair.goal.id);
  t.ok(response.data.relationship.nextStages.length > 0);
  t.equal(response.data.relationship.mentor, null, 'but not the person, without people:read');
  t.equal(response.data.relationship.programme, null, 'nor the programme, without programmes:read');
  t.same(response.errors?.map((e) => [e.path?.join('.'), e.extensions.code]).sort(), [
    ['relationship.mentor', 'FORBIDDEN'],
    ['relationship.programme', 'FORBIDDEN'],
  ]);
  const people = await narrow.refusal('{ people { nodes { id } } }');
  t.equal(people.extensions.code, 'FORBIDDEN');
});

/** Every field of a relationship, with the relationship each child names. */
const EVERY_FIELD = /* GraphQL */ `
  fragment EveryField on Relationship {
    id programmeId mentorId menteeId stage status aspiration agreement { contactChannel }
    mentor { id name } mentee { id name } referralMentor { id name } programme { id name }
    goals { id title relationship { id mentorId } metrics { id } milestones { id } tasks { id } }
    sessions { id kind relationship { id } } reflections { id kind relationship { id } }
    history { id version toStage referralMentorId } nextStages { stage allowed blockers { code target { type id } } }
  }
`;

t.test("a member sees no other pair's data through any field, however one request mixes them", async (t) => {
  const org = uniqueOrg('member-memo');
  const admin = gql(app, auth({ org }));
  const mine = await seedPair(admin);
  const other = await seedPair(admin, mine.programme.id);
  const services = createServices({ db: database.db, clock: () => new Date() });
  const orgAdmin: Actor = { org, roles: ['admin'], sub: 'seeder' };
  for (const pair of [mine, other]) {
    await services.logSession(orgAdmin, { relationshipId: pair.relationship.id, session: { kind: 'discovery', heldAt: new Date().toISOString(), minutes: 20 } });
    await services.recordReflection(orgAdmin, { relationshipId: pair.relationship.id, reflection: { kind: 'progress', party: 'mentor', text: 'Noted' } });
  }
  for (const pair of [mine, other]) {
    await services.recordMetricReading(orgAdmin, { relationshipId: pair.relationship.id, goalId: pair.goal.id, metricId: pair.goal.metrics[0].id, reading: { value: 1 } });
  }
  await services.setAgreement(orgAdmin, { relationshipId: other.relationship.id, agreement: agreementInput() });
  await services.updatePerson(orgAdmin, { id: other.mentor.id, changes: { skills: ['Leadership'] } });
  // Declined with the other pair's mentor recommended: a person this member is not paired with.
  await services.transitionRelationship(orgAdmin, { relationshipId: mine.relationship.id, move: { to: 'declined', reason: 'not a fit', referralMentorId: other.mentor.id } });
  const otherGoals = (await services.listGoals(orgAdmin, { relationshipId: other.relationship.id, limit: 100 })).items;
  const otherSessions = await services.listSessions(orgAdmin, { relationshipId: other.relationship.id });
  const otherReflections = await services.listReflections(orgAdmin, { relationshipId: other.relationship.id });
  // Their mentor's id is on this member's own history (recommended on decline): the person itself is what stays hidden.
  const secrets = [
    other.relationship.id,
    other.mentee.id,
    other.mentor.name,
    other.mentee.name,
    ...otherGoals.map((goal: { id: string }) => goal.id),
    ...otherSessions.items.map((session: { id: string }) => session.id),
    ...otherReflections.items.map((reflection: { id: string }) => reflection.id),
  ];
  t.ok(secrets.length >= 7, 'the other pair has goals, sessions and reflections to leak');

  const member = gql(app, auth({ org, roles: ['member'], sub: mine.mentee.id }));
  // Theirs asked first and last, so whatever order the loads run in, the request has read both ids.
  const response = await member.call(
    `query ($mine: ID!, $theirs: ID!) {
      first: relationship(id: $theirs) { ...EveryField }
      mine: relationship(id: $mine) { ...EveryField }
      all: relationships(first: 100) { nodes { ...EveryField } }
      last: relationship(id: $theirs) { ...EveryField }
    }
    ${EVERY_FIELD}`,
    { mine: mine.relationship.id, theirs: other.relationship.id },
  );
  t.equal(response.status, 200);
  t.equal(response.data.first, null, "another pair's relationship is null");
  t.equal(response.data.last, null);
  t.same(response.errors?.map((e) => [e.path?.join('.'), e.extensions.code]).sort(), [
    ['first', 'NOT_FOUND'],
    ['last', 'NOT_FOUND'],
  ]);
  t.equal(response.data.mine.id, mine.relationship.id, 'their own relationship is all there');
  t.equal(response.data.mine.status, 'declined');
  t.equal(response.data.mine.mentor.id, mine.mentor.id);
  t.equal(response.data.mine.mentee.id, mine.mentee.id);
  t.equal(response.data.mine.referralMentor, null, 'a recommended mentor they are not paired with stays hidden');
  t.same(
    response.data.mine.goals.map((goal: { id: string }) => goal.id),
    [mine.goal.id],
  );
  t.equal(response.data.mine.sessions.length, 1);
  t.equal(response.data.mine.reflections.length, 1);
  t.same(
    response.data.all.nodes.map((node: { id: string }) => node.id),
    [mine.relationship.id],
    'the list holds their own relationship only',
  );
  t.same(response.data.all.nodes[0], response.data.mine, 'the same in the list as alone');
  const text = JSON.stringify(response.data);
  for (const secret of secrets) t.notOk(text.includes(secret), `nothing of the other pair (${secret}) in any field`);

  // Below GraphQL: a member's batch loads keep to their own relationships in the database, whatever
  // ids, relationships, programmes or goals they are handed (here the other pair's, as an admin read them).
  const memberActor: Actor = { org, roles: ['member'], sub: mine.mentee.id };
  const [theirRelationship] = await services.loadRelationshipsByIds(orgAdmin, { ids: [other.relationship.id] });
  t.equal(theirRelationship?.id, other.relationship.id, 'an admin reads the other pair');
  const theirProgrammes = await services.loadProgrammesByIds(orgAdmin, { ids: [other.programme.id] });
  const theirIds = { relationshipIds: [other.relationship.id] };
  t.same(await services.loadRelationshipsByIds(memberActor, { ids: [other.relationship.id] }), [], 'relationships: none');
  t.same(await services.loadGoalsByRelationships(memberActor, theirIds), [], 'goals: none');
  t.same(await services.loadSessionsByRelationships(memberActor, theirIds), [], 'sessions: none');
  t.same(await services.loadReflectionsByRelationships(memberActor, theirIds), [], 'reflections: none');
  const theirMetrics = { metricIds: otherGoals.flatMap((goal) => goal.metrics.map((metric) => metric.id)), last: 100 };
  t.equal((await services.loadReadingsByMetrics(orgAdmin, theirMetrics)).length, 1, 'an admin reads their reading');
  t.same(await services.loadReadingsByMetrics(memberActor, theirMetrics), [], 'metric readings: none');
  t.equal((await services.loadReadingsByMetrics(memberActor, { metricIds: [mine.goal.metrics[0].id], last: 5 })).length, 1, 'but their own');
  t.same(await services.loadHistoryByRelationships(memberActor, theirIds), [], 'history: none');
  t.same(
    await services.loadNextStagesByRelationships(memberActor, { relationships: [theirRelationship!], programmes: theirProgrammes, goals: otherGoals }),
    [],
    'next stages: none, though handed the relationship, its programme and goals',
  );
  t.same(await services.loadPeopleByIds(memberActor, { ids: [other.mentor.id, other.mentee.id] }), [], 'people: none');
  const both = { relationshipIds: [other.relationship.id, mine.relationship.id] };
  t.same(
    (await services.loadGoalsByRelationships(memberActor, both)).map((goal) => goal.id),
    [mine.goal.id],
    'asked for both, only their own goals load',
  );
  t.same(
    (await services.loadSessionsByRelationships(memberActor, both)).map((session) => session.relationshipId),
    [mine.relationship.id],
    'and only their own sessions',
  );
});
