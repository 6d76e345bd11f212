import type { App } from '../../../src/app.ts';
import type { DatabaseHandle } from '../../../src/db/client.ts';
import { createDispatcher, type DispatcherOptions } from '../../../src/webhooks/dispatcher.ts';
import { agreementInput, client, closingReflection, personInput, smartGoalInput } from '../../helpers/fixtures.ts';

type Headers = Record<string, string>;

/**
 * Calls to the webhook routes, straight through app.inject. (The shared client() also checks
 * every answer against the committed openapi.yaml; these routes are checked by their zod
 * response schemas until that file is regenerated with them.)
 */
export function webhookApi(app: App, headers: Headers) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const response = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: response.statusCode, body: response.body ? response.json() : undefined, headers: response.headers };
  };
  const must = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const response = await call(method, url, body);
    if (response.status >= 300) throw new Error(`${method} ${url} → ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  return { call, must };
}

/** A dispatcher under the test's control: its clock, its jitter, private URLs allowed (127.0.0.1). */
export function testDispatcher(database: DatabaseHandle, options: Partial<DispatcherOptions> = {}) {
  return createDispatcher({ database, guard: { allowPrivateUrls: true, resolve: async () => ['127.0.0.1'] }, ...options });
}

/** Opens `count` relationships: one relationship.opened event each. */
export async function openRelationships(app: App, headers: Headers, count: number): Promise<string[]> {
  const api = client(app, headers);
  const programme = await api.must('POST', '/v1/programmes', { name: 'Webhook programme' });
  const mentor = await api.must('POST', '/v1/people', personInput({ capacity: 100 }));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const mentee = await api.must('POST', '/v1/people', personInput());
    ids.push((await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' })).id);
  }
  return ids;
}

/**
 * A classic-4 relationship from first contact to completion, through REST: every kind of event
 * on the way. `afterEach` runs after every change (a test delivers or moves time there);
 * `inGrowth` runs once the goal is agreed and the pair is in growth (tasks done, sessions held).
 */
export async function relationshipJourney(
  app: App,
  headers: Headers,
  afterEach: () => Promise<void> = async () => {},
  inGrowth: (relationshipId: string, goal: { id: string; tasks: { id: string }[] }) => Promise<void> = async () => {},
): Promise<string> {
  const domain = client(app, headers);
  const api = {
    must: async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
      const result = await domain.must(method, url, body);
      await afterEach();
      return result;
    },
  };
  const programme = await domain.must('POST', '/v1/programmes', { name: 'Journey programme' });
  const mentor = await domain.must('POST', '/v1/people', personInput());
  const mentee = await domain.must('POST', '/v1/people', personInput());
  const { id } = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  await api.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentor' });
  await api.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentee' });
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation' });
  await api.must('PUT', `/v1/relationships/${id}/agreement`, agreementInput());
  const goal = await api.must('POST', `/v1/relationships/${id}/goals`, smartGoalInput());
  await api.must('POST', `/v1/relationships/${id}/goals/${goal.id}/agree`, {});
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'growth' });
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation', reason: 'A second area came up' });
  // The loop opened round 2: growth again needs a goal agreed in it, here one feeding into the first.
  const second = await api.must('POST', `/v1/relationships/${id}/goals`, smartGoalInput({ title: 'Speak at the engineering all-hands', focus: 'soft_skill', parentGoalId: goal.id }));
  await api.must('POST', `/v1/relationships/${id}/goals/${second.id}/agree`, {});
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'growth' });
  await inGrowth(id, goal);
  await api.must('POST', `/v1/relationships/${id}/goals/${goal.id}/milestones/${goal.milestones[0].id}/complete`);
  await api.must('POST', `/v1/relationships/${id}/goals/${goal.id}/achieve`, { achievedDespite: 'Promoted before the second milestone came due.' });
  await api.must('POST', `/v1/relationships/${id}/goals/${second.id}/drop`, { reason: 'The all-hands was cancelled this year.' });
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'closure' });
  await api.must('POST', `/v1/relationships/${id}/reflections`, closingReflection('mentor'));
  await api.must('POST', `/v1/relationships/${id}/reflections`, closingReflection('mentee'));
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'completed' });
  return id;
}
