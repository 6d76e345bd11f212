// Fills the `demo` organisation (DEMO_ORG) with two realistic programmes, one per built-in stage
// model, so /graphiql, the reports and the diagrams show something real at once:
//   npm run demo            (on PGlite, run it while the server is stopped: PGlite serves one process)
// Idempotent: a second run finds the programmes and writes nothing. Refuses NODE_ENV=production.
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { fillDemo } from './demo/fill-demo.ts';
import { seedDataDir } from './pglite-template.mjs';

const config = loadConfig();
if (config.env === 'production') {
  console.error('npm run demo refuses to run with NODE_ENV=production: demo data is for development and evaluation only.');
  process.exit(1);
}
// As `npm start` does: a brand-new data directory starts as a copy of the template `npm ci` made (no initdb).
if (config.database.kind === 'pglite' && !config.database.dataDir.startsWith('memory://')) await seedDataDir(config.database.dataDir);
const database = await openDatabase(config.database.kind === 'postgres' ? { kind: 'postgres', url: config.database.url } : { kind: 'pglite', dataDir: config.database.dataDir });
try {
  await database.migrate();
  const started = performance.now();
  const outcome = await fillDemo(database, { org: config.demoOrg });
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : config.database.dataDir;
  if (!outcome.filled) {
    console.log(`The "${config.demoOrg}" organisation in ${where} already has its demo programmes; nothing changed.`);
  } else {
    console.log(`Filled the "${config.demoOrg}" organisation in ${where} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${outcome.relationships} relationships in ${outcome.programmes.length} programmes.`);
  }
  for (const programme of outcome.programmes) console.log(`  ${programme.name}: /v1/programmes/${programme.id}/report   /v1/programmes/${programme.id}/stage-model/diagram`);
  console.log('Start the service (npm start) and use the token it prints: it is an admin of this organisation.');
} finally {
  await database.close();
}
