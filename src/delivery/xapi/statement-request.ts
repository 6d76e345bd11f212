import type { Database } from '../../db/client.ts';
import type { LrsSettings } from '../../db/schema.ts';
import { XAPI_EVENT_TYPES, type XapiEventType } from '../../vocabulary.ts';
import { buildStatements } from './build-statements.ts';
import { loadStatementFacts } from './statement-facts.ts';
import { statementProblems } from './validate-statements.ts';

export interface LrsTarget {
  orgId: string;
  url: string;
  secret: string;
  lrs: LrsSettings | null;
}
export interface StatementEventRow {
  id: string;
  type: string;
  payload: unknown;
  createdAt: Date;
}

export type StatementRequest = { ok: true; url: string; headers: Record<string, string>; body: string } | { ok: false; error: string };

/** `<endpoint>/statements`, whether or not the configured endpoint ends in a slash (xAPI §2.1). */
export const statementsUrl = (endpoint: string) => `${endpoint.replace(/\/+$/, '')}/statements`;

/**
 * The POST that carries an event's statements to an LRS: built now from the event and the pair as
 * they are, checked by the validator before anything is sent, with the version header and Basic
 * authentication the LRS expects. A statement that cannot be built or fails validation is never sent.
 */
export async function statementRequest(db: Database, target: LrsTarget, event: StatementEventRow): Promise<StatementRequest> {
  if (!target.lrs) return { ok: false, error: 'Not an LRS configuration.' };
  if (!(XAPI_EVENT_TYPES as readonly string[]).includes(event.type)) return { ok: false, error: `${event.type} events do not become xAPI statements.` };
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const relationshipId = typeof payload.relationshipId === 'string' ? payload.relationshipId : null;
  const facts = relationshipId ? await loadStatementFacts(db, target.orgId, relationshipId) : null;
  if (!facts) return { ok: false, error: `Refused before sending: the event's relationship ${relationshipId ?? '(none)'} is not there.` };
  const statements = buildStatements({ id: event.id, type: event.type as XapiEventType, payload, createdAt: event.createdAt }, facts, target.lrs);
  const problems = statementProblems(statements);
  if (problems.length) return { ok: false, error: `Refused before sending: not a valid xAPI statement: ${problems.join('; ')}` };
  const credentials = Buffer.from(`${target.lrs.username}:${target.secret}`).toString('base64');
  return {
    ok: true,
    url: statementsUrl(target.url),
    headers: { 'content-type': 'application/json', 'x-experience-api-version': target.lrs.version, authorization: `Basic ${credentials}` },
    body: JSON.stringify(statements),
  };
}
