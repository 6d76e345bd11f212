import { personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { CREATE_GOAL, CREATE_PERSON, CREATE_PROGRAMME, OPEN_RELATIONSHIP } from './documents.ts';
import type { gql } from './gql-client.ts';

/** Through GraphQL mutations: a programme, a mentor and a mentee, their relationship and a draft goal. */
export async function seedPair(api: ReturnType<typeof gql>, programmeId?: string) {
  const programme = programmeId ? { id: programmeId } : (await api.must(CREATE_PROGRAMME, { input: { name: 'Seeded programme' } })).createProgramme;
  const { createPerson: mentor } = await api.must(CREATE_PERSON, { input: personInput({ externalId: `M-${Math.random().toString(36).slice(2, 10)}` }) });
  const { createPerson: mentee } = await api.must(CREATE_PERSON, { input: personInput({ externalId: `E-${Math.random().toString(36).slice(2, 10)}` }) });
  const { openRelationship: relationship } = await api.must(OPEN_RELATIONSHIP, {
    input: { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' },
  });
  const { createGoal: goal } = await api.must(CREATE_GOAL, { id: relationship.id, input: smartGoalInput() });
  return { programme, mentor, mentee, relationship, goal };
}
