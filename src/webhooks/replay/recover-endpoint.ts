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
 * After an outage of theirs: every event of the window that this endpoint subscribes to and has
 * not received (no successful delivery, none still under way) is queued once more, as manual
 * deliveries the dispatchers send in the background. One statement, however many events.
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
    const queued = await selectRows<{ id: string }>(
      tx.db,
      sql`insert into webhook_deliveries (org_id, endpoint_id, event_id, trigger, status, attempts, next_attempt_at, created_at, updated_at)
          select e.org_id, ${endpoint.id}, e.id, 'manual', 'pending', 0, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
          from outbox_events e
          join webhook_endpoints w on w.id = ${endpoint.id}
          where e.org_id = ${tx.actor.org}
            and e.created_at >= ${since.toISOString()}::timestamptz and e.created_at <= ${until.toISOString()}::timestamptz
            and e.type <> ${TEST_EVENT_TYPE}
            and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))
            and not exists (
              select 1 from webhook_deliveries d
              where d.endpoint_id = ${endpoint.id} and d.event_id = e.id and d.status in ('succeeded', 'pending', 'sending'))
          returning id`,
    );
    if (queued.length) await announceWork(tx.db);
    return { endpointId: endpoint.id, since: since.toISOString(), until: until.toISOString(), queued: queued.length };
  });
}
