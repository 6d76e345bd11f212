import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { createTandemClient, paginate, TandemProblem, unwrap, verifyWebhook, WebhookVerificationError } from '@tandem/client';
import { tokenSource } from '../../clients/typescript/src/auth.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, smartGoalInput } from '../helpers/fixtures.ts';

// The typed client (clients/typescript) against a started server over real HTTP, on whichever
// database the suite runs on.
const { app, config } = await buildTestApp(t);
const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
const org = uniqueOrg('client');
// An expiring token, as every token must be.
const token = signDevelopmentToken(config, { org, roles: ['admin'], sub: 'client-test' }, 600);

/** The TandemProblem a call was refused with (fails when it was not refused). */
async function refusal(call: Promise<unknown>): Promise<TandemProblem> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TandemProblem) return error;
    throw error;
  }
  throw new Error('expected a refusal, the call succeeded');
}

/** A fetch that records what the client sent. */
function recordingFetch() {
  const sent: Request[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return fetch(request);
  };
  return { sent, fetchImpl: fetchImpl as typeof fetch };
}

t.test('typed calls; every POST carries an Idempotency-Key', async (t) => {
  const { sent, fetchImpl } = recordingFetch();
  const tandem = createTandemClient({ baseUrl, auth: { token }, fetch: fetchImpl });
  const programme = await unwrap(tandem.POST('/v1/programmes', { body: { name: 'Client pilot', stageModelKey: 'five-stage' } }));
  t.equal(programme.stageModel.key, 'five-stage');
  const read = await unwrap(tandem.GET('/v1/programmes/{id}', { params: { path: { id: programme.id } } }));
  t.equal(read.name, 'Client pilot');
  const posts = sent.filter((request) => request.method === 'POST');
  t.equal(posts.length, 1);
  t.match(posts[0]!.headers.get('idempotency-key'), /^[0-9a-f-]{36}$/);
  t.equal(sent.filter((request) => request.method === 'GET')[0]!.headers.get('idempotency-key'), null, 'GETs carry none');
  t.equal(posts[0]!.headers.get('authorization'), `Bearer ${token}`);

  const own = createTandemClient({ baseUrl, auth: { token }, idempotencyKeys: false, fetch: recordingFetch().fetchImpl });
  t.ok(await unwrap(own.POST('/v1/programmes', { body: { name: 'No key' } })), 'keys can be turned off');
});

t.test('a POST whose answer was lost is retried with the same key and acts once', async (t) => {
  const keys: string[] = [];
  let lose = true;
  const flaky = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    keys.push(request.headers.get('idempotency-key') ?? '');
    const response = await fetch(request);
    if (lose) {
      lose = false;
      throw new TypeError('fetch failed: the connection dropped before the answer arrived');
    }
    return response;
  }) as typeof fetch;
  const tandem = createTandemClient({ baseUrl, auth: { token }, fetch: flaky, maxDelayMs: 10 });
  const name = `Retried ${Math.random()}`;
  const person = await unwrap(tandem.POST('/v1/people', { body: { name, email: 'retried@example.com' } }));
  t.equal(keys.length, 2, 'sent twice');
  t.equal(keys[0], keys[1], 'with the same Idempotency-Key');
  let same = 0;
  for await (const candidate of paginate((cursor) => tandem.GET('/v1/people', { params: { query: { cursor, limit: 100 } } }))) if (candidate.name === name) same++;
  t.equal(same, 1, 'one person was created, not two');
  t.ok(person.id);
});

t.test('for await over a cursor-paged list', async (t) => {
  const pagingOrg = uniqueOrg('paging');
  const tandem = createTandemClient({ baseUrl, auth: { token: signDevelopmentToken(config, { org: pagingOrg, roles: ['admin'], sub: 'pager' }, 600) } });
  const batch = Array.from({ length: 7 }, (_, index) => ({ externalId: `HR-${index}`, name: `Person ${index}`, email: `p${index}@example.com` }));
  await unwrap(tandem.POST('/v1/people/batch', { body: { people: batch } }));
  const pages: number[] = [];
  const seen: string[] = [];
  for await (const person of paginate(async (cursor) => {
    pages.push(pages.length);
    return tandem.GET('/v1/people', { params: { query: { cursor, limit: 3 } } });
  })) {
    seen.push(person.externalId ?? '');
  }
  t.same(seen.sort(), batch.map((person) => person.externalId).sort(), 'every item, once');
  t.equal(pages.length, 3, 'three pages of at most 3');
});

t.test('problems arrive as typed errors with code, errors, blockers and allowed', async (t) => {
  const tandem = createTandemClient({ baseUrl, auth: { token } });
  const problem = await refusal(unwrap(tandem.POST('/v1/people', { body: { name: '', email: 'not an email' } })));
  t.equal(problem.status, 400);
  t.equal(problem.code, 'BAD_USER_INPUT');
  t.ok(problem.errors.some((error) => error.path.includes('email')), 'every failing field is named');

  const programme = await unwrap(tandem.POST('/v1/programmes', { body: { name: 'Blocked' } }));
  const mentor = await unwrap(tandem.POST('/v1/people', { body: { name: 'Mentor', email: 'm@example.com' } }));
  const mentee = await unwrap(tandem.POST('/v1/people', { body: { name: 'Mentee', email: 'e@example.com' } }));
  const relationship = await unwrap(tandem.POST('/v1/relationships', { body: { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' } }));
  const move = (to: string) => unwrap(tandem.POST('/v1/relationships/{id}/transitions', { params: { path: { id: relationship.id } }, body: { to } }));
  const blocked = await refusal(move('negotiation'));
  t.equal(blocked.code, 'TRANSITION_BLOCKED');
  t.same(blocked.blockers.map((blocker) => blocker.code).sort(), ['MENTEE_NOT_ACCEPTED', 'MENTOR_NOT_ACCEPTED']);
  const notAllowed = await refusal(move('closure'));
  t.equal(notAllowed.code, 'TRANSITION_NOT_ALLOWED');
  t.ok(notAllowed.allowed.includes('negotiation'), 'the moves open instead');

  // The happy path through the same typed calls.
  for (const party of ['mentor', 'mentee'] as const) await unwrap(tandem.POST('/v1/relationships/{id}/acceptances', { params: { path: { id: relationship.id } }, body: { party } }));
  t.equal((await move('negotiation')).stage, 'negotiation');
  await unwrap(tandem.PUT('/v1/relationships/{id}/agreement', { params: { path: { id: relationship.id } }, body: agreementInput() }));
  const goal = await unwrap(tandem.POST('/v1/relationships/{id}/goals', { params: { path: { id: relationship.id } }, body: smartGoalInput() }));
  t.ok(goal.id);
  const diagram = await tandem.GET('/v1/relationships/{id}/diagram', { params: { path: { id: relationship.id } }, parseAs: 'text' });
  t.match(diagram.data, /<svg/, 'diagrams come as text');
});

t.test('client credentials: one token for many calls, a new one after a 401', async (t) => {
  const admin = createTandemClient({ baseUrl, auth: { token } });
  const created = await unwrap(admin.POST('/v1/clients', { body: { name: 'HR sync', scopes: ['people:read', 'people:write'] } }));
  const { sent, fetchImpl } = recordingFetch();
  const integration = createTandemClient({ baseUrl, auth: { clientId: created.id, clientSecret: created.clientSecret }, fetch: fetchImpl });
  await unwrap(integration.GET('/v1/people', { params: { query: { limit: 1 } } }));
  await unwrap(integration.GET('/v1/people', { params: { query: { limit: 1 } } }));
  t.equal(sent.filter((request) => request.url.endsWith('/oauth/token')).length, 1, 'the token is reused');
  const refused = await refusal(unwrap(integration.GET('/v1/relationships')));
  t.equal(refused.code, 'FORBIDDEN', 'a scope the client lacks is a typed 403');

  const wrong = createTandemClient({ baseUrl, auth: { clientId: created.id, clientSecret: 'wrong' } });
  await t.rejects(unwrap(wrong.GET('/v1/people')), /invalid_client/);

  let handedOut = 0;
  const rotating = createTandemClient({ baseUrl, auth: { token: () => (handedOut++ === 0 ? 'expired.or.revoked' : token) } });
  t.ok(await unwrap(rotating.GET('/v1/me')), 'a 401 fetches a new token once and tries again');
  t.equal(handedOut, 2);
});

t.test('client-credentials tokens are refreshed shortly before they expire', async (t) => {
  let now = 1_000_000;
  let issued = 0;
  const fakeFetch = (async () => new Response(JSON.stringify({ access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: 600 }), { headers: { 'content-type': 'application/json' } })) as typeof fetch;
  const tokens = tokenSource({ clientId: 'id', clientSecret: 'secret' }, 'http://127.0.0.1:1', fakeFetch, () => now);
  t.equal(await tokens.token(), 'token-1');
  now += 500_000;
  t.equal(await tokens.token(), 'token-1', 'still valid');
  now += 80_000;
  t.equal(await tokens.token(), 'token-2', 'within 30 s of expiry: a new one');
  const together = await Promise.all([tokens.invalidate(), tokens.token(), tokens.token()].slice(1));
  t.same(together, ['token-3', 'token-3'], 'concurrent requests share one token request');
});

t.test('webhook verification wraps standardwebhooks', async (t) => {
  const secret = `whsec_${Buffer.from('a-secret-of-enough-length-0123456789').toString('base64')}`;
  const body = JSON.stringify({ type: 'relationship.stage_changed', timestamp: new Date().toISOString(), data: { relationshipId: 'r1', version: 3 } });
  const id = 'msg_1';
  const at = new Date();
  const signature = new Webhook(secret).sign(id, at, body);
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
  const verified = verifyWebhook<{ version: number }>(secret, body, headers);
  t.equal(verified.id, id);
  t.equal(verified.event.data.version, 3);
  t.same(verifyWebhook(secret, Buffer.from(body), new Headers(headers)).event.type, 'relationship.stage_changed', 'Headers and Buffers too');
  t.throws(() => verifyWebhook(secret, body.replace('3', '4'), headers), WebhookVerificationError, 'a changed body fails');
  const old = { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) };
  t.throws(() => verifyWebhook(secret, body, old), WebhookVerificationError, 'an old timestamp fails');
});
