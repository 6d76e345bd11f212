import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { gql } from './gql-client.ts';

// Matching through GraphQL, the same use cases as REST: profiles, settings, suggestions, a run, an accept.
const { app, auth } = await buildTestApp(t);

const PERSON = `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { id aspiration goalFocus grade experienceYears location preferredMentorIds } }`;

t.test('suggestions, a run and an accept over GraphQL, for admins and managers only', async (t) => {
  const org = uniqueOrg('gql-matching');
  const api = gql(app, auth({ org }));
  const { createProgramme: programme } = await api.must(
    `mutation { createProgramme(input: { name: "Matched", matching: { weights: { location: 0 }, minimumScore: 0.1 } }) { id matching { weights { skills location } minimumScore candidatesPerMentee excludeSameDepartment } } }`,
  );
  t.same(programme.matching, { weights: { skills: 3, location: 0 }, minimumScore: 0.1, candidatesPerMentee: 50, excludeSameDepartment: false }, 'settings read back with defaults filled');
  const { createPerson: mentor } = await api.must(PERSON, { input: { name: 'Ada', skills: ['Negotiation'], experienceYears: 9, grade: 6, capacity: 2 } });
  const { createPerson: mentee } = await api.must(PERSON, {
    input: { name: 'Mia', aspiration: 'Become a confident negotiator in negotiations', goalFocus: 'soft_skill', grade: 5, capacity: 0, location: 'Leeds', preferredMentorIds: [mentor.id] },
  });
  t.match(mentee, { aspiration: /negotiat/, goalFocus: 'soft_skill', grade: 5, location: 'Leeds', preferredMentorIds: [mentor.id] });

  const { mentorSuggestions } = await api.must(
    `query ($p: ID!, $m: ID!) { mentorSuggestions(programmeId: $p, menteeId: $m) { menteeId suggestions { mentorId score factors { factor weight contribution explanation } } excluded { mentorId } } }`,
    { p: programme.id, m: mentee.id },
  );
  t.equal(mentorSuggestions.suggestions[0].mentorId, mentor.id);
  t.ok(mentorSuggestions.suggestions[0].factors.some((f: { explanation: string }) => f.explanation === 'skills overlap with the aspiration: negotiation'));
  t.ok(mentorSuggestions.suggestions[0].factors.some((f: { explanation: string }) => f.explanation === 'the mentee’s 1st choice'));
  t.notOk(mentorSuggestions.suggestions[0].factors.some((f: { factor: string }) => f.factor === 'location'), 'a factor weighed 0 is left out');

  const { createMatchingRun: run } = await api.must(
    `mutation ($p: ID!) { createMatchingRun(programmeId: $p, input: { menteeIds: [] }) { id status menteeCount pairs { id } } }`,
    { p: programme.id },
  );
  t.match(run, { status: 'completed', menteeCount: 0, pairs: [] }, 'an empty list of mentees matches no one');
  const { createMatchingRun: full } = await api.must(`mutation ($p: ID!) { createMatchingRun(programmeId: $p) { id objective greedyObjective pairs { id menteeId mentorId score } } }`, {
    p: programme.id,
  });
  t.match(full.pairs, [{ menteeId: mentee.id, mentorId: mentor.id }]);

  const manager = gql(app, auth({ org, roles: ['manager'] }));
  const { acceptMatchingPairs } = await manager.must(
    `mutation ($p: ID!, $r: ID!) { acceptMatchingPairs(programmeId: $p, runId: $r) { runId relationships { mentorId menteeId stage } } }`,
    { p: programme.id, r: full.id },
  );
  t.same(acceptMatchingPairs.relationships, [{ mentorId: mentor.id, menteeId: mentee.id, stage: 'initiation' }]);
  const { matchingRun } = await api.must(
    `query ($p: ID!, $r: ID!) { matchingRun(programmeId: $p, id: $r) { pairs { relationshipId acceptedAt mentee { name } mentor { name skills } relationship { id stage mentor { name } } } } }`,
    { p: programme.id, r: full.id },
  );
  t.ok(matchingRun.pairs[0].relationshipId && matchingRun.pairs[0].acceptedAt);
  t.match(matchingRun.pairs[0], { mentee: { name: 'Mia' }, mentor: { name: 'Ada', skills: ['Negotiation'] } }, 'a pair names its people, not only their ids');
  t.same(matchingRun.pairs[0].relationship, { id: matchingRun.pairs[0].relationshipId, stage: 'initiation', mentor: { name: 'Ada' } }, 'an accepted pair leads to its relationship');

  // A mentor at capacity leaves the next mentee unmatched: the run says who, with the person.
  const { createPerson: second } = await api.must(PERSON, { input: { name: 'Noor', aspiration: 'Negotiate a promotion', capacity: 0 } });
  const { createPerson: busy } = await api.must(PERSON, { input: { name: 'Bo', skills: ['Finance'], capacity: 0 } });
  t.ok(busy.id);
  const { createMatchingRun: rerun } = await api.must(
    `mutation ($p: ID!, $m: [ID!]) { createMatchingRun(programmeId: $p, input: { menteeIds: $m }) { pairs { mentee { name } mentor { name } relationship { id } } unmatched { menteeId reason mentee { name } } } }`,
    { p: programme.id, m: [second.id] },
  );
  const placed = [...rerun.pairs.map((pair: { mentee: { name: string } }) => pair.mentee.name), ...rerun.unmatched.map((u: { mentee: { name: string } }) => u.mentee.name)];
  t.same(placed, ['Noor'], 'the mentee appears by name, paired or unmatched');
  t.ok(rerun.pairs.every((pair: { relationship: unknown }) => pair.relationship === null), 'a pair not yet accepted has no relationship');

  const member = gql(app, auth({ org, roles: ['member'] }));
  t.equal((await member.refusal(`query ($p: ID!, $r: ID!) { matchingRun(programmeId: $p, id: $r) { id } }`, { p: programme.id, r: full.id })).extensions.code, 'FORBIDDEN');
  const stranger = gql(app, auth({ org: uniqueOrg('stranger') }));
  t.equal((await stranger.refusal(`query ($p: ID!, $r: ID!) { matchingRun(programmeId: $p, id: $r) { id } }`, { p: programme.id, r: full.id })).extensions.code, 'NOT_FOUND');
});
