import { authorize } from '../../domain/permissions.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/client.ts';
import { invalid } from '../../domain/errors.ts';
import { parseInput } from '../../domain/validate.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';
import { announceWork } from '../notify-work.ts';
import { RecoverInput, type RecoveryAccepted } from '../schemas/endpoint.ts';
import { RECOVER_MAX_WINDOW_MS, TEST_EVENT_TYPE } from '../vocabulary.ts';
import { requireEnabled } from './require-enabled.ts';

/**
 * After an outage of theirs: every event of the window that this endpoint has not received is
 * sent now. A delivery waiting for its next retry is brought forward to now (the same delivery,
 * so still one send); an event whose deliveries all failed, or that has none, is queued once more
 * as a manual delivery. A delivery in flight (`sending`) is left alone: it is neither brought
 * forward nor doubled. One statement, however many events.
 */
export async function recoverWebhookEndpoint(ctx: WebhookCtx, rawInput: { id: string } & RecoverInput): Promise<RecoveryAccepted> {
  authorize(ctx.actor, 'recoverWebhookEndpoint');
  const input = parseInput(RecoverInput, { since: rawInput.since, ...(rawInput.until ? { until: rawInput.until } : {}) });
  const now = ctx.clock();
  const since = new Date(input.since);
  const until = input.until ? new Date(input.until) : now;
  if (until <= since) throw invalid('until must be after since.', [{ path: 'until', message: 'must be after since' }]);
  if (until.getTime() - since.getTime() > RECOVER_MAX_WINDOW_MS) {
    throw invalid('A recovery covers at most 14 days.', [{ path: 'since', message: 'must be at most 14 days before until' }]);
  }
  return withAudit(ctx, { action: 'recoverWebhookEndpoint', subjectType: 'webhook_endpoint', subjectId: (recovery) => recovery.endpointId }, async (tx) => {
    const endpoint = await loadEndpoint(tx, rawInput.id);
    requireEnabled(endpoint);
    const at = now.toISOString();
    const window = sql`e.created_at >= ${since.toISOString()}::timestamptz and e.created_at <= ${until.toISOString()}::timestamptz`;
    // Both parts read the snapshot from before the statement: a pending delivery brought forward
    // still counts as under way for the insert. The update re-checks `pending` on a row a
    // dispatcher claims meanwhile (PostgreSQL re-reads a row it waited for), so a claimed one is skipped.
    const [counts] = await selectRows<{ queued: number; brought_forward: number }>(
      tx.db,
      sql`with forward as (
            update webhook_deliveries d set next_attempt_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
            from outbox_events e
            where d.endpoint_id = ${endpoint.id} and d.status = 'pending' and d.next_attempt_at > ${at}::timestamptz
              and e.id = d.event_id and ${window}
            returning d.id
          ),
          queued as (
            insert into webhook_deliveries (org_id, endpoint_id, event_id, trigger, status, attempts, next_attempt_at, created_at, updated_at)
            select e.org_id, ${endpoint.id}, e.id, 'manual', 'pending', 0, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
            from outbox_events e
            join webhook_endpoints w on w.id = ${endpoint.id}
            where e.org_id = ${tx.actor.org} and ${window}
              and e.type <> ${TEST_EVENT_TYPE}
              and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))
              and not exists (
                select 1 from webhook_deliveries d
                where d.endpoint_id = ${endpoint.id} and d.event_id = e.id and d.status in ('succeeded', 'pending', 'sending'))
            returning id
          )
          select (select count(*) from queued)::int as queued, (select count(*) from forward)::int as brought_forward`,
    );
    const queued = counts?.queued ?? 0;
    const broughtForward = counts?.brought_forward ?? 0;
    if (queued + broughtForward) await announceWork(tx.db);
    return { endpointId: endpoint.id, since: since.toISOString(), until: until.toISOString(), queued, broughtForward };
  });
}
