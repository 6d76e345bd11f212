import fc from 'fast-check';
import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { isBlockedAddress } from '../../src/webhooks/ip-ranges.ts';
import { clampRetryAfter, parseRetryAfter, retryDelay } from '../../src/webhooks/schedule.ts';
import { generateSecret, secretKey } from '../../src/webhooks/secrets.ts';
import { signatureHeader } from '../../src/webhooks/signing.ts';
import { checkWebhookUrl } from '../../src/webhooks/url-guard.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/webhooks/vocabulary.ts';

t.test('internal addresses in every spelling are blocked; public ones pass', async (t) => {
  const blocked = [
    '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.0.1', '127.0.0.1', '127.255.0.9', '169.254.169.254', '169.254.0.1',
    '100.64.0.1', '100.127.255.254', '0.0.0.0', '0.1.2.3', '224.0.0.1', '255.255.255.255', '198.18.0.1',
    '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe',
    '::ffff:0:0', '0:0:0:0:0:ffff:7f00:1', '::127.0.0.1', '64:ff9b::7f00:1', '2002:a9fe:a9fe::1', '[::1]', 'not-an-address',
  ];
  for (const address of blocked) t.ok(isBlockedAddress(address), `${address} is blocked`);
  const allowed = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.253.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::200e'];
  for (const address of allowed) t.notOk(isBlockedAddress(address), `${address} is public`);
});

t.test('the URL guard: https only, no credentials, every resolved address public', async (t) => {
  const guard = (answers: string[]) => ({ allowPrivateUrls: false, resolve: async () => answers });
  t.match(await checkWebhookUrl('http://hooks.example.com', guard(['93.184.216.34'])), { ok: false, reason: 'must be https' });
  t.match(await checkWebhookUrl('https://hooks.example.com', guard(['93.184.216.34'])), { ok: true });
  t.match(await checkWebhookUrl('https://hooks.example.com', guard(['93.184.216.34', '10.0.0.8'])), { ok: false, reason: /10\.0\.0\.8/ });
  t.match(await checkWebhookUrl('https://hooks.example.com', guard([])), { ok: false, reason: /does not resolve/ });
  t.match(await checkWebhookUrl('not a url', guard([])), { ok: false });
  const resolved: string[] = [];
  const spy = { allowPrivateUrls: false, resolve: async (host: string) => (resolved.push(host), ['8.8.8.8']) };
  await checkWebhookUrl('https://[::1]/x', spy);
  await checkWebhookUrl('https://10.0.0.1/x', spy);
  t.same(resolved, [], 'address literals are judged without a lookup');
  t.match(await checkWebhookUrl('http://127.0.0.1:9/x', { allowPrivateUrls: true, resolve: async () => [] }), { ok: true }, 'development: allowed');
});

t.test('the retry schedule: at once, then 5 s … 24 h, each within ±20 %', async (t) => {
  t.equal(MAX_ATTEMPTS, 10);
  t.same(RETRY_DELAYS_MS, [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, random) => {
      const base = RETRY_DELAYS_MS[attempts - 1]!;
      const delay = retryDelay(attempts, () => random)!;
      return delay >= Math.floor(base * 0.8) && delay <= Math.ceil(base * 1.2);
    }),
  );
  t.equal(retryDelay(10, Math.random), null, 'no eleventh attempt');
  t.equal(retryDelay(1, () => 0.5), 5000, 'the middle of the jitter is the schedule');
});

t.test('Retry-After: seconds or an HTTP date, clamped to 1–2× the schedule', async (t) => {
  const now = new Date('2030-01-01T00:00:00Z');
  t.equal(parseRetryAfter('120', now), 120_000);
  t.equal(parseRetryAfter('Tue, 01 Jan 2030 00:01:00 GMT', now), 60_000);
  t.equal(parseRetryAfter('soon', now), null);
  t.equal(parseRetryAfter(null, now), null);
  t.equal(clampRetryAfter(1000, 5000), 5000);
  t.equal(clampRetryAfter(7000, 5000), 7000);
  t.equal(clampRetryAfter(60_000, 5000), 10_000);
});

t.test('signatures match the reference library, for one secret and for two', async (t) => {
  const secrets = [generateSecret(), generateSecret()];
  t.ok(secrets.every((s) => /^whsec_/.test(s) && secretKey(s).length === 32), 'whsec_ and 32 random bytes');
  const message = { id: '01938f5e-7b7a-7c3e-9a4b-2f1d8e6c5a10', timestamp: Math.floor(Date.now() / 1000), body: '{"type":"x","timestamp":"2030-01-01T00:00:00.000Z","data":{"ü":"✓"}}' };
  const reference = secrets.map((s) => new Webhook(s).sign(message.id, new Date(message.timestamp * 1000), message.body));
  t.equal(signatureHeader(message, secrets), reference.join(' '));
  for (const secret of secrets) {
    const headers = { 'webhook-id': message.id, 'webhook-timestamp': String(message.timestamp), 'webhook-signature': signatureHeader(message, secrets) };
    t.ok(new Webhook(secret).verify(message.body, headers), 'each secret verifies the two-signature header');
  }
});
