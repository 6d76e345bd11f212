import { v7 as uuidv7 } from 'uuid';
import { compiled, param } from '../../db/compiled.ts';
import { auditEvents } from '../../db/schema.ts';
import { withTransaction, type Ctx } from '../context.ts';

const insertAudit = compiled((db) =>
  db.insert(auditEvents).values({
    orgId: param('orgId'),
    actor: param('actor'),
    clientId: param('clientId'),
    action: param('action'),
    subjectType: param('subjectType'),
    subjectId: param('subjectId'),
    at: param<Date>('at'),
    id: param('id'),
  }),
);

/** What an audited change records besides who and when: the use case, and the kind and id of what it changed. */
export interface AuditEntry<T> {
  action: string;
  subjectType: string;
  /** The changed object's id, from the change's result (null when it has no single subject). */
  subjectId: (result: T) => string | null;
}

/**
 * Runs a change with its audit row in one transaction: they commit together, or neither does. A
 * use case that changes something wraps its transaction in this, naming itself and its subject,
 * so a reader sees at the change that (and how) it is audited. Refused changes leave no entry.
 */
export function withAudit<T>(ctx: Ctx, entry: AuditEntry<T>, change: (tx: Ctx) => Promise<T>): Promise<T> {
  return withTransaction(ctx, async (tx) => {
    const result = await change(tx);
    await insertAudit(tx.db, {
      id: uuidv7(),
      orgId: tx.actor.org,
      actor: tx.actor.sub,
      clientId: tx.actor.clientId ?? null,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId(result),
      at: tx.clock(),
    });
    return result;
  });
}
