import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { authorize } from '../../domain/permissions.ts';
import { parseInput } from '../../domain/validate.ts';
import { XAPI_EVENT_TYPES } from '../../vocabulary.ts';
import { loadEndpoint, type WebhookCtx } from '../../webhooks/context.ts';
import { requireSafeUrl } from '../../webhooks/endpoints/guard-url.ts';
import { switchEnabled } from '../../webhooks/endpoints/switch-enabled.ts';
import { presentLrsConfiguration } from './present-lrs-configuration.ts';
import { UpdateLrsConfigurationInput, type LrsConfiguration } from './schemas.ts';

/** Changes an LRS configuration; a new password replaces the old at once. Disabling and re-enabling work as for webhook endpoints. */
export async function updateLrsConfiguration(ctx: WebhookCtx, rawInput: { id: string; changes: UpdateLrsConfigurationInput }): Promise<LrsConfiguration> {
  authorize(ctx.actor, 'updateLrsConfiguration');
  const changes = parseInput(UpdateLrsConfigurationInput, rawInput.changes);
  const url = changes.url === undefined ? undefined : await requireSafeUrl(ctx, changes.url);
  return withAudit(ctx, { action: 'updateLrsConfiguration', subjectType: 'lrs_configuration', subjectId: (lrs) => lrs.id }, async (tx) => {
    const current = await loadEndpoint(tx, rawInput.id, { lock: true, channel: 'xapi' });
    const now = tx.clock();
    const enabled = switchEnabled(current, changes.enabled, tx, now);
    const { version, username, actorFormat, homePage } = { ...current.lrs!, ...withoutUndefined(changes) };
    const [row] = await tx.db
      .update(webhookEndpoints)
      .set({
        ...(url === undefined ? {} : { url }),
        lrs: { version, username, actorFormat, homePage },
        ...(changes.password === undefined ? {} : { secret: changes.password }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        ...(changes.eventTypes === undefined ? {} : { eventTypes: changes.eventTypes.length ? changes.eventTypes : [...XAPI_EVENT_TYPES] }),
        ...enabled.set,
        updatedAt: now,
      })
      .where(and(eq(webhookEndpoints.orgId, tx.actor.org), eq(webhookEndpoints.id, current.id)))
      .returning();
    await enabled.resume();
    return presentLrsConfiguration(row!);
  });
}

const withoutUndefined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
