import t from 'tap';
import type { Actor } from '../../src/domain/context.ts';
import { createServices } from '../../src/domain/services.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { RELATIONSHIP_SCREEN } from './documents.ts';
import { gql } from './gql-client.ts';

// The dispatcher polls the database on its own; with it off, every statement counted is the query's.
const { app, auth, database } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const services = createServices({ db: database.db, clock: () => new Date() });

/** The list screen: people, programme, goals with metrics, milestones and tasks. */
const SCREEN = /* GraphQL */ `
  query Screen($programmeId: ID!) {
    relationships(first: 100, filter: { programmeId: $programmeId }) {
      edges { node {
        id stage
        mentor { name } mentee { name } programme { name }
        goals { title metrics { name target } milestones { title dueOn } tasks { title } }
      } }
    }
  }
`;

/** Everything a relationship can show, for each of them: every batched field at once. */
const EVERYTHING = /* GraphQL */ `
  query Everything($programmeId: ID!) {
    relationships(first: 100, filter: { programmeId: $programmeId }) {
      nodes {
        id stage
        mentor { name } mentee { name } programme { name } referralMentor { name }
        goals { title metrics { name target } milestones { title dueOn } tasks { title } }
        sessions { kind } reflections { kind } history { toStage }
        nextStages { stage allowed blockers { code } }
      }
      pageInfo { hasNextPage }
    }
  }
`;

/** Opens `count` relationships in the programme, each with a goal (metrics, milestones, tasks) and some history. */
async function seed(actor: Actor, programmeId: string, count: number) {
  const { people } = await services.batchUpsertPeople(actor, {
    people: Array.from({ length: count * 2 }, () => ({ ...personInput(), externalId: `X-${Math.random().toString(36).slice(2, 12)}`, capacity: 1 })),
  });
  for (let i = 0; i < count; i++) {
    const relationship = await services.openRelationship(actor, { programmeId, mentorId: people[2 * i]!.id, menteeId: people[2 * i + 1]!.id, aspiration: 'I want a promotion' });
    await services.createGoal(actor, { relationshipId: relationship.id, goal: smartGoalInput() });
    await services.setAgreement(actor, { relationshipId: relationship.id, agreement: agreementInput() });
    await services.logSession(actor, { relationshipId: relationship.id, session: { kind: 'discovery', heldAt: new Date().toISOString(), minutes: 20 } });
  }
}

async function statementsFor(query: () => Promise<unknown>): Promise<number> {
  const before = database.statements.count;
  await query();
  return database.statements.count - before;
}

t.test('the relationship list screen runs the same number of statements for 10 and for 100 relationships', async (t) => {
  const org = uniqueOrg('batching');
  const actor: Actor = { org, roles: ['admin'], sub: 'seeder' };
  const programme = await services.createProgramme(actor, { name: 'Batched' });
  const api = gql(app, auth({ org, roles: ['manager'] }));
  const draw = (query: string, expected: number) => async () => {
    const data = await api.must(query, { programmeId: programme.id });
    const nodes = data.relationships.nodes ?? data.relationships.edges.map((edge: { node: unknown }) => edge.node);
    t.equal(nodes.length, expected, `the screen shows ${expected} relationships`);
    t.ok(nodes.every((node: { goals: { milestones: unknown[] }[] }) => node.goals[0]?.milestones.length === 2), 'with their goals and milestones');
  };

  await seed(actor, programme.id, 10);
  // Warm up: the first run of a query parses, validates and compiles it.
  await draw(SCREEN, 10)();
  await draw(EVERYTHING, 10)();
  const screenAtTen = await statementsFor(draw(SCREEN, 10));
  const everythingAtTen = await statementsFor(draw(EVERYTHING, 10));
  await seed(actor, programme.id, 90);
  const screenAtHundred = await statementsFor(draw(SCREEN, 100));
  const everythingAtHundred = await statementsFor(draw(EVERYTHING, 100));

  t.comment(`list screen: ${screenAtTen} statements for 10 relationships, ${screenAtHundred} for 100`);
  t.comment(`every field: ${everythingAtTen} statements for 10 relationships, ${everythingAtHundred} for 100`);
  t.ok(screenAtTen > 0, 'statements are counted');
  t.equal(screenAtHundred, screenAtTen, 'the list screen does not grow with the number of relationships');
  t.equal(everythingAtHundred, everythingAtTen, 'nor does a query of every batched field');
  // The page, one people batch (mentor, mentee and referralMentor together), the programme, and goals with
  // metrics, milestones and tasks; every field adds sessions, reflections, history and the two guard facts
  // nextStages needs besides the goals and programmes it shares. No field re-reads the relationships.
  t.equal(screenAtTen, 7, 'the list screen: 7 statements');
  t.equal(everythingAtTen, 12, 'every batched field: 12 statements');
});

t.test('the screen of one relationship reads everything once: 12 statements', async (t) => {
  const org = uniqueOrg('one-screen');
  const actor: Actor = { org, roles: ['admin'], sub: 'seeder' };
  const programme = await services.createProgramme(actor, { name: 'One screen' });
  await seed(actor, programme.id, 2);
  const [mine] = (await services.listRelationships(actor, { programmeId: programme.id })).items;
  const id = mine!.id;
  await services.recordReflection(actor, { relationshipId: id, reflection: { kind: 'progress', party: 'mentee', text: 'Going well' } });
  const draw = (api: ReturnType<typeof gql>) => async () => {
    const data = await api.must(RELATIONSHIP_SCREEN, { id });
    t.equal(data.relationship.id, id);
    t.equal(data.relationship.goals.length, 1, 'with its goal');
    t.ok(data.relationship.goals[0].milestones.length > 0 && data.relationship.sessions.length > 0 && data.relationship.reflections.length > 0);
    t.ok(data.relationship.mentor && data.relationship.mentee && data.relationship.programme, 'its people and programme');
    t.ok(data.relationship.nextStages.length > 0, 'and its next stages');
    return data;
  };

  for (const role of ['admin', 'manager'] as const) {
    const api = gql(app, auth({ org, roles: [role] }));
    await draw(api)();
    const statements = await statementsFor(draw(api));
    t.comment(`one relationship, ${role}: ${statements} statements`);
    // relationship, programme, people (mentor and mentee in one batch), goals, metrics, milestones, tasks,
    // sessions, reflections, history, discovery sessions held, closing reflections: nothing twice.
    t.equal(statements, 12, `${role}: 12 statements (23 before the request memo)`);
  }

  // A member is checked against the database: who they are and which relationships are theirs, once
  // for all the fields (the root read checks on its own), and the people they are paired with.
  const member = gql(app, auth({ org, roles: ['member'], sub: mine!.menteeId }));
  await draw(member)();
  const memberStatements = await statementsFor(draw(member));
  t.comment(`one relationship, member: ${memberStatements} statements`);
  t.equal(memberStatements, 16, 'member: 16 statements');

  // The member's path (their own rows, checked in every statement) and the admin's give the same answer.
  const viaMember = await draw(member)();
  const viaAdmin = await draw(gql(app, auth({ org })))();
  t.same(viaMember.relationship.goals, viaAdmin.relationship.goals, 'a member and an admin see the same goals of a shared relationship');
  t.same(viaMember.relationship.nextStages, viaAdmin.relationship.nextStages, 'and the same next stages');
});
