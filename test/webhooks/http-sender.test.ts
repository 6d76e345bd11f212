import t from 'tap';
import { createHttpSender } from '../../src/webhooks/http-sender.ts';
import { sendDelivery } from '../../src/webhooks/send-delivery.ts';
import type { ClaimedDelivery } from '../../src/webhooks/claim.ts';
import { generateSecret } from '../../src/webhooks/secrets.ts';
import type { UrlVerdict } from '../../src/webhooks/url-guard.ts';
import { startReceiver, type Reply } from './helpers/receiver.ts';

const sender = createHttpSender({ allowPrivateUrls: true });
const secret = generateSecret();

function claimed(url: string): ClaimedDelivery {
  const now = new Date();
  return {
    attemptId: '00000000-0000-7000-8000-000000000001',
    delivery: { id: '00000000-0000-7000-8000-000000000002', attempts: 1, trigger: 'scheduled', claimToken: '00000000-0000-4000-8000-000000000003' } as ClaimedDelivery['delivery'],
    event: { id: '00000000-0000-7000-8000-000000000004', seq: 1, orgId: 'o', type: 'relationship.opened', subjectId: '00000000-0000-7000-8000-000000000005', payload: { version: 1 }, createdAt: now, traceparent: null, xid: null },
    endpoint: { id: '00000000-0000-7000-8000-000000000006', url, secret, previousSecret: null, previousSecretExpiresAt: null } as ClaimedDelivery['endpoint'],
  };
}

const deps = (timeoutMs?: number) => ({ clock: () => new Date(), sender, guard: { allowPrivateUrls: true, resolve: async () => [] }, stopping: new AbortController().signal, ...(timeoutMs ? { timeoutMs } : {}) });

t.test('a signed POST that the reference library verifies', async (t) => {
  const receiver = await startReceiver({ secrets: [secret] });
  t.teardown(receiver.close);
  const outcome = await sendDelivery(claimed(receiver.url), deps());
  t.match(outcome, { kind: 'response', status: 204 });
  t.match(receiver.received[0], { id: '00000000-0000-7000-8000-000000000004', verifyError: null, message: { type: 'relationship.opened', data: { version: 1 } } });
});

t.test('redirects are not followed; the body is read up to 16 KiB; Retry-After is passed on', async (t) => {
  const receiver = await startReceiver({
    behaviour: (_, count): Reply =>
      count === 1 ? { status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } } : { status: 503, headers: { 'retry-after': '120' }, body: 'x'.repeat(100_000) },
  });
  t.teardown(receiver.close);
  t.match(await sendDelivery(claimed(receiver.url), deps()), { kind: 'response', status: 302 });
  t.equal(receiver.received.length, 1, 'the redirect was not followed');
  const busy = await sendDelivery(claimed(receiver.url), deps());
  t.match(busy, { kind: 'response', status: 503, retryAfter: '120' });
  t.equal(busy.kind === 'response' && busy.body.length, 16 * 1024, 'the first 16 KiB of the body');
});

t.test('no answer within the timeout is a failure, and so is a refused connection', async (t) => {
  let release = () => {};
  const receiver = await startReceiver({ behaviour: () => ({ status: 200, hold: new Promise<void>((resolve) => (release = resolve)) }) });
  t.teardown(async () => {
    release();
    await receiver.close();
  });
  t.match(await sendDelivery(claimed(receiver.url), deps(200)), { kind: 'error', error: 'No answer within 0.2 s.' });
  t.match(await sendDelivery(claimed('http://127.0.0.1:9/closed'), deps()), { kind: 'error', error: /ECONNREFUSED/ });
});

t.test('the deadline covers the whole attempt: headers at once, a body dripping past it, is a timeout', async (t) => {
  const { createServer } = await import('node:http');
  const timers: NodeJS.Timeout[] = [];
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('a');
    timers.push(setInterval(() => response.write('.'), 50));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    server.close();
  });
  const outcome = await sendDelivery(claimed(`http://127.0.0.1:${(server.address() as { port: number }).port}/drip`), deps(300));
  t.match(outcome, { kind: 'error', error: 'No answer within 0.3 s.' });
});

t.test('the deadline covers the URL check too: a lookup that outlasts it is a timeout, and nothing is sent', async (t) => {
  const receiver = await startReceiver({ secrets: [secret] });
  t.teardown(receiver.close);
  let slowLookup!: NodeJS.Timeout;
  t.teardown(() => clearTimeout(slowLookup));
  // A resolver that answers only after three deadlines (a slow DNS): 15 s of lookup plus a fast
  // receiver was once logged as a success after 17 s.
  const check = (url: string) => new Promise<UrlVerdict>((resolve) => (slowLookup = setTimeout(() => resolve({ ok: true, url: new URL(url) }), 900)));
  const outcome = await sendDelivery(claimed(receiver.url), { ...deps(300), check });
  t.match(outcome, { kind: 'error', error: 'No answer within 0.3 s.' });
  await new Promise((resolve) => setTimeout(resolve, 900)); // the lookup answers at last
  t.equal(receiver.received.length, 0, 'no request goes out after the deadline');
});

t.test('a sender that ignores the signal is still cut at the deadline', async (t) => {
  const outcome = await sendDelivery(claimed('http://127.0.0.1:9/never'), { ...deps(200), sender: () => new Promise<never>(() => {}) });
  t.match(outcome, { kind: 'error', error: 'No answer within 0.2 s.' });
});
