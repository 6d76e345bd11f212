import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';
import type { GoalDraftInput } from '../../src/domain/schemas/goal.ts';
import type { App } from '../../src/app.ts';
import { contractViolations } from './contract.ts';

type Headers = Record<string, string>;

/** A thin JSON client over app.inject that fails loudly when a call the fixture relies on fails. */
export function client(app: App, headers: Headers) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, extra: Headers = {}) => {
    const response = await app.inject({ method, url, headers: { ...headers, ...extra }, ...(body === undefined ? {} : { payload: body as object }) });
    // Diagrams answer SVG or DOT: only JSON bodies are parsed, others stay text.
    const parsed = !response.body ? undefined : /json/.test(String(response.headers['content-type'])) ? response.json() : response.body;
    const violations = contractViolations(method, url, response.statusCode, response.headers['content-type'] as string | undefined, parsed);
    if (violations.length) throw new Error(`Response breaks openapi.yaml:\n${violations.join('\n')}`);
    return { status: response.statusCode, body: parsed, headers: response.headers };
  };
  const must = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, extra: Headers = {}) => {
    const response = await call(method, url, body, extra);
    if (response.status >= 300) throw new Error(`${method} ${url} → ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  return { call, must };
}

export const isoDate = (date: Date) => date.toISOString().slice(0, 10);
export const daysFromNow = (days: number, now = new Date()) => isoDate(new Date(now.getTime() + days * 86_400_000));

export const personInput = (overrides: Record<string, unknown> = {}) => ({
  name: `Person ${Math.random().toString(36).slice(2, 8)}`,
  email: `p${Math.random().toString(36).slice(2, 8)}@example.com`,
  capacity: 3,
  ...overrides,
});

/** A goal that passes SMART against the default programme bounds. */
export const smartGoalInput = (overrides: Partial<GoalDraftInput> = {}): GoalDraftInput => ({
  title: 'Lead the quarterly planning for my team',
  outcome: 'I have led two quarterly planning sessions end to end and my manager rates them as ready for promotion.',
  focus: 'promotion' as const,
  relevance: 'Leading planning is the main gap between me and the promotion to team lead I am aiming for.',
  dueOn: daysFromNow(120),
  metrics: [{ name: 'Planning sessions led', baseline: 0, target: 2, unit: 'sessions' }],
  milestones: [
    { title: 'Shadow the current lead', dueOn: daysFromNow(30) },
    { title: 'Co-lead a session', dueOn: daysFromNow(75) },
  ],
  tasks: [{ title: 'Read the planning handbook', dueOn: daysFromNow(20), resources: ['https://example.com/handbook'] }],
  mentorConfirmedRealistic: true,
  ...overrides,
});

export const agreementInput = () => ({
  contactChannel: 'Video call; chat for quick questions',
  contactHours: 'Tuesdays 16:00–17:00',
  confidentiality: 'What we discuss stays between us.',
  mentorCanHelpWith: ['Planning', 'Stakeholder management'],
  mentorCannotHelpWith: ['Salary negotiation'],
});

export const closingReflection = (party: 'mentor' | 'mentee') => ({
  kind: 'closing' as const,
  party,
  text: `Closing thoughts from the ${party}.`,
  whatWorked: 'Regular sessions with a clear agenda.',
  whatDidNot: 'Rescheduling too often in the summer.',
  howBenefited: 'Clearer view of leadership; practice in coaching.',
});

/** An organisation with a programme, two people, a relationship in initiation and a draft goal. */
export async function seedWorld(api: ReturnType<typeof client>, options: { mentorExternalId?: string; menteeExternalId?: string } = {}) {
  const programme = await api.must('POST', '/v1/programmes', { name: 'Seeded programme' });
  const mentor = await api.must('POST', '/v1/people', personInput({ externalId: options.mentorExternalId ?? `M-${Math.random().toString(36).slice(2, 10)}` }));
  const mentee = await api.must('POST', '/v1/people', personInput({ externalId: options.menteeExternalId ?? `E-${Math.random().toString(36).slice(2, 10)}` }));
  const relationship = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  const goal = await api.must('POST', `/v1/relationships/${relationship.id}/goals`, smartGoalInput());
  return { programme, mentor, mentee, relationship, goal };
}

/** The world plus what admins own: an integration client, a webhook endpoint, an LRS configuration and an event. */
export async function seedAdminWorld(api: ReturnType<typeof client>, database: DatabaseHandle, options: Parameters<typeof seedWorld>[1] = {}) {
  const world = await seedWorld(api, options);
  const session = await api.must('POST', `/v1/relationships/${world.relationship.id}/sessions/planned`, BODIES.planSession!());
  const integrationClient = await api.must('POST', '/v1/clients', { name: 'Seeded client', scopes: ['people:read'] });
  const endpoint = await api.must('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/never-called', description: 'seeded' });
  const lrs = await api.must('POST', '/v1/lrs-configurations', BODIES.createLrsConfiguration!());
  const matchingRun = await api.must('POST', `/v1/programmes/${world.programme.id}/matching-runs`, {});
  // The relationship's own event.
  const [event] = await database.rows<{ id: string }>(sql`select id from outbox_events where subject_id = ${world.relationship.id} limit 1`);
  return { ...world, session, integrationClient, endpoint, lrs, matchingRun, event: event! };
}

/** A valid body for every operation that takes one: so a refusal is about tenancy, not input. */
export const BODIES: Record<string, () => unknown> = {
  updateProgramme: () => ({ name: 'Renamed by a stranger' }),
  acceptFit: () => ({ party: 'mentor' }),
  setAgreement: agreementInput,
  setRapport: () => ({ hopes: 'To lead a team within a year', challenges: 'Little time to prepare' }),
  transitionRelationship: () => ({ to: 'withdrawn', reason: 'tenancy probe' }),
  createGoal: () => smartGoalInput(),
  updateGoal: () => ({ title: 'Renamed by a stranger' }),
  agreeGoal: () => ({}),
  dropGoal: () => ({ reason: 'stranger' }),
  completeTask: () => ({ note: 'done' }),
  reopenTask: () => ({ note: 'not done after all' }),
  recordMetricReading: () => ({ value: 1, note: 'a check-in' }),
  logSession: () => ({ kind: 'regular', heldAt: new Date().toISOString(), minutes: 30 }),
  planSession: () => ({ kind: 'regular', plannedAt: new Date(Date.now() + 86_400_000).toISOString(), minutes: 45, agenda: 'Next steps' }),
  holdSession: () => ({ minutes: 40, notes: 'Went well' }),
  cancelSession: () => ({ reason: 'Travelling' }),
  markSessionMissed: () => ({ reason: 'Nobody came' }),
  recordReflection: () => closingReflection('mentor'),
  updatePerson: () => ({ name: 'Renamed by a stranger' }),
  createClient: () => ({ name: 'Probe client', scopes: ['people:read'] }),
  createWebhookEndpoint: () => ({ url: 'http://127.0.0.1:9/probe' }),
  updateWebhookEndpoint: () => ({ description: 'changed by a probe' }),
  createLrsConfiguration: () => ({ url: 'http://127.0.0.1:9/xapi', username: 'probe', password: 'probe-secret', homePage: 'https://www.example.com' }),
  updateLrsConfiguration: () => ({ description: 'changed by a probe' }),
  recoverWebhookEndpoint: () => ({ since: new Date(Date.now() - 3_600_000).toISOString() }),
  resendEvent: () => ({}),
  createMatchingRun: () => ({}),
  acceptMatchingPairs: () => ({}),
};

