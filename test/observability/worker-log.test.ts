import { sql } from 'drizzle-orm';
import t from 'tap';
import { freshDatabase } from '../helpers/database.ts';
import { databaseUrl, eventually, exited, runScript } from '../webhooks/helpers/processes.ts';

// The worker (scripts/worker.ts) logs through the same redaction as the server: a scheduler round
// the database refuses is logged with its statement, never with the statement's parameters.
if (!process.env.TEST_DATABASE_URL) {
  t.test('the worker logs a failed round without its parameters', { skip: 'the worker runs on PostgreSQL only (TEST_DATABASE_URL)' }, () => {});
} else {
  t.test('the worker logs a failed round without its parameters', async (t) => {
    const { database, drop } = await freshDatabase();
    t.teardown(drop);
    await database.db.execute(
      sql.raw(`create or replace function refuse_jobs_in_worker_test() returns trigger language plpgsql as $$
        begin raise exception 'scheduled jobs refused by the worker log test'; end $$`),
    );
    await database.db.execute(sql.raw('create trigger refuse_jobs_in_worker_test before insert on scheduled_jobs for each statement execute function refuse_jobs_in_worker_test()'));
    const url = await databaseUrl(database);
    const worker = await runScript('scripts/worker.ts', { DATABASE_URL: url, LOG_LEVEL: 'info', NODE_ENV: 'test' }, /webhook dispatcher and scheduler running/);
    await eventually(async () => /scheduler round failed/.test(worker.output()));
    worker.kill('SIGTERM');
    t.equal((await exited(worker)).code, 0, 'the worker stops cleanly');
    const failed = worker
      .output()
      .split('\n')
      .find((line) => line.includes('scheduler round failed'));
    t.ok(failed, 'the failed round is logged');
    const logged = JSON.parse(failed!) as { err: { message: string; stack: string; cause?: { message: string } } };
    t.match(logged.err.message, /^Failed query: [\s\S]*\nparams: \[redacted\]$/, 'the statement is named, its parameters are not');
    t.match(logged.err.cause?.message, /refused by the worker log test/, 'the cause is kept');
    t.notMatch(worker.output(), /params: (?!\[redacted\])/, 'no parameters anywhere in its output');
    t.notMatch(worker.output(), /\d{4}-\d\d-\d\dT\d\d:\d\d/, "not even the round's timestamps");
  });
}
