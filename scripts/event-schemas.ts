import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eventTypeCatalogue } from '../src/webhooks/event-catalogue.ts';

// Records the schema of every event type's message as the one the last release published:
// test/contract/event-schemas.test.ts then fails on any field removed or renamed since. Run it
// deliberately, when a release ships (`npm run contract:events`), never to make that test pass.
const target = fileURLToPath(new URL('../test/contract/event-schemas.json', import.meta.url));
const schemas = Object.fromEntries(eventTypeCatalogue().map((entry) => [entry.type, entry.schema]));
await writeFile(target, `${JSON.stringify(schemas, null, 2)}\n`);
console.log(`wrote ${target}: ${Object.keys(schemas).length} event types`);
