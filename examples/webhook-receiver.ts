// A webhook receiver: verifies each request's Standard Webhooks signature, answers 2xx at once,
// handles each event once (de-duplicated by webhook-id) and ignores stale relationship versions.
//   TANDEM_TOKEN=… npx tsx examples/webhook-receiver.ts --register http://127.0.0.1:4000/webhooks
// --register URL creates the endpoint in Tandem (an admin or a client with webhooks:manage) and
// uses the secret it answers with; otherwise set WEBHOOK_SECRET=whsec_… of an existing endpoint.
// Tandem refuses http and private addresses unless it runs with WEBHOOK_ALLOW_PRIVATE_URLS=true:
// in production, put this behind https on a public name.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { unwrap, verifyWebhook, WebhookVerificationError } from '@tandem/client';
import { connect } from './connect.ts';

const { values } = parseArgs({ options: { register: { type: 'string' }, port: { type: 'string', default: '4000' } } });

let secret = process.env.WEBHOOK_SECRET ?? '';
if (values.register) {
  const endpoint = await unwrap(connect().POST('/v1/webhook-endpoints', { body: { url: values.register, description: 'examples/webhook-receiver.ts' } }));
  secret = endpoint.secret;
  console.log(`registered endpoint ${endpoint.id} for ${endpoint.url}`);
}
if (!secret) {
  console.error('Pass --register URL, or set WEBHOOK_SECRET to the endpoint secret (whsec_…).');
  process.exit(2);
}

// In production keep these in your database (a unique key on webhook-id), not in memory.
const handled = new Set<string>();
const versions = new Map<string, number>();

function handle(id: string, event: { type: string; data: Record<string, unknown> }) {
  if (handled.has(id)) return console.log(`duplicate ${id} ignored`);
  handled.add(id);
  const { relationshipId, version } = event.data as { relationshipId?: string; version?: number };
  if (relationshipId && typeof version === 'number') {
    if ((versions.get(relationshipId) ?? 0) > version) return console.log(`stale ${event.type} v${version} of ${relationshipId} ignored`);
    versions.set(relationshipId, version); // an equal version is a sibling event of the same change
  }
  console.log(`received ${event.type} ${id}${relationshipId ? ` relationship ${relationshipId}` : ''}${version ? ` v${version}` : ''}`);
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      // The raw bytes, exactly as sent: a re-serialised body would no longer match its signature.
      const { id, event } = verifyWebhook(secret, Buffer.concat(chunks), request.headers);
      response.writeHead(204).end();
      handle(id, event);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      console.log(`rejected a request: ${error.message}`);
      response.writeHead(401).end();
    }
  });
});
server.listen(Number(values.port), '127.0.0.1', () => console.log(`listening on 127.0.0.1:${values.port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
