import t from 'tap';
import { isConnectionFailure } from '../../src/db/errors.ts';

// Every "database unavailable" state is answered 503 (src/domain/bind-use-cases.ts asServiceFailure);
// an error of the request or a bug stays what it is. Errors as postgres.js raises them, and wrapped
// as drizzle wraps them (`cause`).
const postgresError = (code: string, message = 'the server says no') => Object.assign(new Error(message), { name: 'PostgresError', code, severity: 'FATAL' });
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1\nparams: '), { cause });

const unavailable: [string, unknown][] = [
  ['08006 connection failure', postgresError('08006')],
  ['08001 cannot establish', postgresError('08001')],
  ['57P01 admin shutdown (pg_terminate_backend)', postgresError('57P01', 'terminating connection due to administrator command')],
  ['57P02 crash shutdown', postgresError('57P02')],
  ['57P03 cannot connect now (starting up)', postgresError('57P03', 'the database system is starting up')],
  ['53300 too many connections', postgresError('53300', 'sorry, too many clients already')],
  ['57014 statement timeout', postgresError('57014', 'canceling statement due to statement timeout')],
  ['55000 not accepting connections', postgresError('55000', 'database "tandem" is not currently accepting connections')],
  ...['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'QUERY_TIMEOUT', 'QUEUE_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].map(
    (code): [string, unknown] => [code, Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code })],
  ),
  ['CONNECTION_DESTROYED after a cancel went unanswered', Object.assign(new Error('CONNECTION_DESTROYED'), { code: 'CONNECTION_DESTROYED', cause: { code: 'CANCEL_UNANSWERED' } })],
  ['ECONNREFUSED to every address of localhost (AggregateError)', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })])],
];
const notUnavailable: [string, unknown][] = [
  ['23505 unique violation', postgresError('23505')],
  ['22P02 invalid text', postgresError('22P02')],
  ['42P01 undefined table (a bug)', postgresError('42P01')],
  ['55000 for another reason', postgresError('55000', 'cannot execute nextval() in a read-only transaction')],
  ['40001 serialization failure (retried elsewhere)', postgresError('40001')],
  ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
];

for (const [what, error] of unavailable) {
  t.ok(isConnectionFailure(error), `${what}: unavailable`);
  t.ok(isConnectionFailure(wrapped(error)), `${what}, wrapped by drizzle: unavailable`);
}
for (const [what, error] of notUnavailable) {
  t.notOk(isConnectionFailure(error), `${what}: not unavailable`);
  t.notOk(isConnectionFailure(wrapped(error)), `${what}, wrapped by drizzle: not unavailable`);
}
