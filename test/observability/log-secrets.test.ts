import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { redactUrl, serializeError, serializeRequest } from '../../src/observability/log-redaction.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { scimClient, scimToken } from '../scim/scim-client.ts';

// Logs keep secrets: a full journey (people, a programme, a relationship through its stages, a
// calendar feed fetched, SCIM create/filter/patch/delete, an erasure, a statement the database
// refuses during a request and a failing scheduler round) with the logger writing to a captured
// stream at info (production's level) and at debug; then every token, feed secret, email and
// externalId the journey used is searched for in the captured lines, as written and URL-encoded.
for (const level of ['info', 'debug'] as const) {
  t.test(`a journey's log lines at ${level} hold none of its secrets`, async (t) => {
    const lines: string[] = [];
    const { app, auth, config, database } = await buildTestApp(t, { config: { logLevel: level }, logStream: { write: (line) => void lines.push(line) } });
    const secrets = new Set<string>();
    const keep = <T extends string>(secret: T) => (secrets.add(secret), secret);
    const org = uniqueOrg('logs');
    const adminHeaders = auth({ org });
    keep(adminHeaders.authorization.replace(/^Bearer /, ''));
    const admin = client(app, adminHeaders);

    // People: one by HRIS id in the path, one with its externalId in the body.
    const programme = await admin.must('POST', '/v1/programmes', { name: 'Logged programme' });
    const mentorHr = keep(`HR-mentor-${org}`);
    const mentor = await admin.must('PUT', `/v1/people/external/${encodeURIComponent(mentorHr)}`, personInput({ name: 'Mia Mentor', email: keep(`mia.${org}@example.com`) }));
    const menteeHr = keep(`HR mentee/${org}`); // a space and a slash: URL-encoded in paths
    const mentee = await admin.must('POST', '/v1/people', personInput({ name: 'Max Mentee', externalId: menteeHr, email: keep(`max.${org}@example.com`) }));
    await admin.must('PUT', `/v1/people/external/${encodeURIComponent(menteeHr)}`, personInput({ name: 'Max Mentee', email: `max.${org}@example.com` }));

    // A relationship through its stages.
    const relationship = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
    const rel = `/v1/relationships/${relationship.id}`;
    await admin.must('POST', `${rel}/acceptances`, { party: 'mentor' });
    await admin.must('POST', `${rel}/acceptances`, { party: 'mentee' });
    await admin.must('POST', `${rel}/transitions`, { to: 'negotiation' });
    await admin.must('PUT', `${rel}/agreement`, agreementInput());
    const goal = await admin.must('POST', `${rel}/goals`, smartGoalInput());
    await admin.must('POST', `${rel}/goals/${goal.id}/agree`, {});
    await admin.must('POST', `${rel}/transitions`, { to: 'growth' });
    await admin.must('POST', `${rel}/sessions/planned`, { plannedAt: new Date(Date.now() + 86_400_000).toISOString(), agenda: 'Quarterly planning' });

    // A calendar feed fetched, and a guessed one refused; a member's own token.
    const feed = await admin.must('POST', `/v1/people/${mentee.id}/calendar-feed`);
    keep(feed.url.replace(/^\/calendar\/|\.ics$/g, ''));
    t.equal((await app.inject({ method: 'GET', url: feed.url })).statusCode, 200);
    t.equal((await app.inject({ method: 'GET', url: `/calendar/${keep(randomBytes(32).toString('base64url'))}.ics` })).statusCode, 404);
    const memberHeaders = auth({ org, roles: ['member'], sub: menteeHr });
    keep(memberHeaders.authorization.replace(/^Bearer /, ''));
    t.equal((await app.inject({ method: 'GET', url: `${rel}?include=goals`, headers: memberHeaders })).statusCode < 500, true);

    // SCIM: create, filter by the email, patch, delete.
    keep(scimToken(config, { org, scope: 'scim' }));
    const scim = scimClient(app, config, { org, scope: 'scim' });
    const userName = keep(`sam.${org}@example.com`);
    const scimHr = keep(`00u-${org}`);
    const user = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      name: { givenName: 'Sam', familyName: 'Scim' },
      emails: [{ primary: true, value: keep(`sam.work.${org}@example.com`), type: 'work' }],
      externalId: scimHr,
      active: true,
    });
    t.equal(user.status, 201);
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=10`);
    t.equal(found.body.totalResults, 1);
    t.equal((await scim('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${scimHr}"`)}`)).status, 200);
    t.equal((await scim('PATCH', `/Users/${user.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] })).status, 200);
    t.equal((await scim('DELETE', `/Users/${user.body.id}`)).status, 204);

    // GraphQL over GET: the variables are in the query string.
    const variables = JSON.stringify({ email: keep(`gql.${org}@example.com`) });
    await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('query Me($email: String) { me { sub } }')}&variables=${encodeURIComponent(variables)}`, headers: adminHeaders });

    // An erasure.
    t.equal((await admin.call('POST', `/v1/people/${mentor.id}/erase`)).status, 200);

    // A statement the database refuses during a request: its parameters hold an HRIS id and an email.
    await database.db.execute(
      sql.raw(`create or replace function refuse_in_logs_test() returns trigger language plpgsql as $$
        begin if new.name = 'Refuse Me' then raise exception 'refused by the log test'; end if; return new; end $$`),
    );
    await database.db.execute(sql.raw('create trigger refuse_in_logs_test before insert or update on people for each row execute function refuse_in_logs_test()'));
    const refusedHr = keep(`HR-refused-${org}`);
    const refused = await app.inject({
      method: 'PUT',
      url: `/v1/people/external/${refusedHr}`,
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      payload: personInput({ name: 'Refuse Me', email: keep(`refused.${org}@example.com`) }),
    });
    t.equal(refused.statusCode, 500, 'the refused statement is a 500');
    await database.db.execute(sql.raw('drop trigger refuse_in_logs_test on people'));

    // A background failure: a scheduler round whose planning statement the database refuses.
    await database.db.execute(
      sql.raw(`create or replace function refuse_jobs_in_logs_test() returns trigger language plpgsql as $$
        begin raise exception 'scheduled jobs refused by the log test'; end $$`),
    );
    await database.db.execute(sql.raw('create trigger refuse_jobs_in_logs_test before insert on scheduled_jobs for each statement execute function refuse_jobs_in_logs_test()'));
    const scheduler = createScheduler({ database, logger: app.log.child({ module: 'jobs' }) });
    scheduler.start();
    await scheduler.stop();
    await database.db.execute(sql.raw('drop trigger refuse_jobs_in_logs_test on scheduled_jobs'));

    const all = lines.join('');
    const parsed = lines.map((line) => JSON.parse(line) as { msg?: string; req?: { url?: string }; err?: { message?: string; stack?: string } });
    t.comment(`${lines.length} lines at ${level}, ${secrets.size} secrets searched`);
    t.ok(parsed.some((line) => line.req?.url === '/calendar/[redacted]'), 'the feed request is logged, its secret redacted');
    t.ok(parsed.some((line) => line.req?.url?.startsWith('/v1/people/external/[redacted]')), 'an HR sync request is logged, its externalId redacted');
    t.ok(parsed.some((line) => line.req?.url?.startsWith('/scim/v2/Users?filter=[redacted]&startIndex=1&count=10')), 'the SCIM filter is logged without its value');
    t.ok(parsed.some((line) => line.req?.url === '/graphql?query=[redacted]&variables=[redacted]'), 'the GraphQL GET without its document and variables');
    const requestError = parsed.find((line) => line.msg === 'unhandled error');
    t.match(requestError?.err?.message, /refused by the log test|params: \[redacted\]/, "the request's database error is logged");
    t.match(requestError?.err?.stack, /params: \[redacted\]/, 'its parameters are not');
    const roundError = parsed.find((line) => line.msg === 'scheduler round failed; retrying at the next poll');
    t.ok(roundError, 'the failed scheduler round is logged');
    t.notMatch(all, /"(params|parameters|args)":/, 'no statement parameters as fields');
    t.notMatch(all, /params: (?!\[redacted\])/, 'nor in any message or stack');
    for (const secret of secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1)])) {
        const at = lines.find((line) => line.includes(form));
        t.notOk(at, `not logged: ${form.slice(0, 24)}…`, at ? { line: at } : {});
      }
    }
  });
}

t.test('what a URL and an error become in a log line', async (t) => {
  t.equal(redactUrl('/calendar/abc_DEF-123.ics'), '/calendar/[redacted]');
  t.equal(redactUrl('/v1/people/external/HR%2042'), '/v1/people/external/[redacted]');
  t.equal(redactUrl('/scim/v2/Users?filter=userName%20eq%20%22a%40b.c%22&count=5'), '/scim/v2/Users?filter=[redacted]&count=5');
  t.equal(redactUrl('/graphql?query=%7Bme%7D&variables=%7B%22email%22%3A%22a%40b.c%22%7D&operationName=Me'), '/graphql?query=[redacted]&variables=[redacted]&operationName=Me');
  t.equal(redactUrl('/v1/relationships?limit=10&cursor=abc'), '/v1/relationships?limit=10&cursor=[redacted]');
  t.equal(redactUrl('/scim/v2/Users/a%40b.c'), '/scim/v2/Users/[redacted]', 'no route matched: a segment with an email');
  t.equal(redactUrl(`/v1/x/${'k'.repeat(40)}/y`), '/v1/x/[redacted]/y', 'or as long as a key');
  const id = '0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b';
  const route = (template: string, url: string, params: Record<string, string>) => serializeRequest({ method: 'GET', url, routeOptions: { url: template }, params }).url;
  t.equal(route('/v1/people/:id', '/v1/people/E-12345', { id: 'E-12345' }), '/v1/people/[redacted]', 'a route parameter that is not an id');
  t.equal(route('/v1/relationships/:id/sessions/:sessionId', `/v1/relationships/${id}/sessions/${id}?limit=5`, { id, sessionId: id }), `/v1/relationships/${id}/sessions/${id}?limit=5`, 'ids stay');
  t.equal(route('/v1/stage-models/:key/diagram', '/v1/stage-models/classic-4/diagram', { key: 'classic-4' }), '/v1/stage-models/classic-4/diagram');
  t.equal(route('/calendar/:feed', '/calendar/abc.ics', { feed: 'abc.ics' }), '/calendar/[redacted]');
  const cause = Object.assign(new Error('invalid input syntax for type uuid: "HR-42"'), { code: '22P02', query: 'select $1', params: ['HR-42'], detail: 'Key (external_id)=(HR-42)' });
  const wrapped = Object.assign(new Error('Failed query: select $1\nparams: HR-42,x@y.z'), { query: 'select $1', params: ['HR-42', 'x@y.z'], cause });
  const logged = JSON.stringify(serializeError(wrapped));
  t.notMatch(logged, /HR-42|x@y\.z/, 'neither the parameters nor the quoted value');
  t.match(logged, /Failed query: select \$1\\nparams: \[redacted\]/, 'the statement itself stays');
  t.match(serializeError(wrapped), { cause: { code: '22P02', message: 'invalid input syntax for type uuid: "[redacted]"' } });
  const hidden = new Error('connection lost');
  Object.defineProperty(hidden, 'parameters', { value: ['p4r4m-v4lue'], enumerable: true });
  t.notMatch(JSON.stringify(serializeError(hidden)), /p4r4m-v4lue/, "postgres.js' parameters are dropped");
});
