import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { startTracing } from '../../src/observability/tracing.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';
import { startReceiver } from '../webhooks/helpers/receiver.ts';
import { testDispatcher } from '../webhooks/helpers/world.ts';

// Traces as an operator sees them, through an in-memory exporter in place of OTLP: a request's
// span, its use case and its statements in one trace, and the webhook its change caused carrying
// that trace on to the receiver (`traceparent`), so the receiver's own spans join it.
const exporter = new InMemorySpanExporter();
const tracing = await startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
t.teardown(() => tracing.shutdown());
const { app, database, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: true } }, tracing });

const spans = () => exporter.getFinishedSpans();
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
/** The span of the request to `method route` (route as fastify's template), the last one made. */
const requestSpan = (method: string, route: string) =>
  spans().filter((span) => span.attributes['http.request.method'] === method && span.attributes['http.route'] === route && span.attributes['http.response.status_code'] !== undefined).at(-1);

t.test("a request's span, its use case and its statements, in one trace", async (t) => {
  const api = client(app, auth({ org: uniqueOrg('trace-request') }));
  exporter.reset();
  await api.must('POST', '/v1/programmes', { name: 'Traced' });
  const request = requestSpan('POST', '/v1/programmes');
  t.ok(request, 'a span for the request, with its route and status');
  t.equal(request?.attributes['http.response.status_code'], 201);
  const trace = spans().filter((span) => traceOf(span) === traceOf(request!));
  const useCase = trace.find((span) => span.name === 'useCase createProgramme');
  t.ok(useCase, `a span for the use case (the trace holds: ${[...new Set(trace.map((span) => span.name))].join(', ')})`);
  const statements = trace.filter((span) => span.attributes['db.system.name'] === 'postgresql');
  t.ok(statements.some((span) => span.name === 'INSERT' && /insert into "programmes"/.test(String(span.attributes['db.query.text']))), 'a span for the INSERT');
  const ids = new Set(trace.map((span) => span.spanContext().spanId));
  t.ok(statements.every((span) => span.parentSpanContext && ids.has(span.parentSpanContext.spanId)), 'every statement is a child within the trace');
  t.notOk(statements.some((span) => /Traced/.test(String(span.attributes['db.query.text']))), 'values never reach a span: the text is parameterised');
});

t.test('a statement outside any request or use case (a poll, a migration) makes no trace of its own', async (t) => {
  exporter.reset();
  await database.rows(sql`select 1 as untraced_poll`);
  t.same(spans().filter((span) => /untraced_poll/.test(String(span.attributes['db.query.text']))), []);
});

t.test("a webhook carries the trace of the request whose change it reports", async (t) => {
  const org = uniqueOrg('trace-webhook');
  const api = client(app, auth({ org }));
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const endpoint = await api.must('POST', '/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['relationship.opened'] });
  receiver.secrets = [endpoint.secret];
  const programme = await api.must('POST', '/v1/programmes', { name: 'Traced pairs' });
  const mentor = await api.must('POST', '/v1/people', personInput());
  const mentee = await api.must('POST', '/v1/people', personInput());
  exporter.reset();
  await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
  const request = requestSpan('POST', '/v1/relationships')!;
  t.ok(request, 'the request was traced');

  const [event] = await database.rows<{ id: string; traceparent: string | null }>(sql`select id, traceparent from outbox_events where org_id = ${org} and type = 'relationship.opened'`);
  t.match(event?.traceparent, new RegExp(`^00-${traceOf(request)}-[0-9a-f]{16}-0[01]$`), "the outbox event keeps the request's trace context");

  await testDispatcher(database).drain();
  const delivered = receiver.uniqueVerified().find((entry) => entry.id === event!.id);
  t.ok(delivered, 'the webhook arrived, signed');
  t.equal(delivered?.traceparent, event!.traceparent, 'with the trace context as its traceparent header');
});

t.test('request spans keep secrets as log lines do: no feed secret, externalId or query value in url.path', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('trace-secrets') }));
  const externalId = `HR-traced-${Math.random().toString(36).slice(2, 8)}`;
  const person = await api.must('PUT', `/v1/people/external/${externalId}`, personInput());
  const feed = await api.must('POST', `/v1/people/${person.id}/calendar-feed`);
  exporter.reset();
  await app.inject({ method: 'GET', url: feed.url });
  await app.inject({ method: 'PUT', url: `/v1/people/external/${externalId}`, headers: { ...auth({ org: 'x' }), 'content-type': 'application/json' }, payload: personInput() });
  await app.inject({ method: 'GET', url: `/v1/people?limit=5&email=${encodeURIComponent('a@b.c')}`, headers: auth({ org: 'x' }) });
  const paths = spans().map((span) => span.attributes['url.path']).filter((path) => path !== undefined);
  t.ok(paths.includes('/calendar/[redacted]'), `the feed's span (paths: ${paths.join(', ')})`);
  t.ok(paths.includes('/v1/people/external/[redacted]'));
  t.ok(paths.includes('/v1/people?limit=5&email=[redacted]'));
  const secret = feed.url.replace(/^\/calendar\/|\.ics$/g, '');
  t.notMatch(JSON.stringify(spans().map((span) => span.attributes)), new RegExp(`${secret}|${externalId}|a%40b\\.c`), 'in no attribute of any span');
});
