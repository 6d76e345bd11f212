import { withAudit } from '../../domain/audit/record-audit.ts';
import { authorize } from '../../domain/permissions.ts';
import { parseInput } from '../../domain/validate.ts';
import { XAPI_EVENT_TYPES } from '../../vocabulary.ts';
import type { WebhookCtx } from '../../webhooks/context.ts';
import { requireSafeUrl } from '../../webhooks/endpoints/guard-url.ts';
import { insertEndpoint } from '../../webhooks/endpoints/insert-endpoint.ts';
import { CreateLrsConfigurationInput, type LrsConfiguration } from './schemas.ts';
import { presentLrsConfiguration } from './present-lrs-configuration.ts';

/**
 * Registers a Learning Record Store: an endpoint of the `xapi` channel, so the outbox's fan-out,
 * claim, retries and attempt log serve it as they serve webhooks. Its event types are stored
 * explicitly (all that have a statement when none are given), so no other event reaches it.
 */
export async function createLrsConfiguration(ctx: WebhookCtx, rawInput: CreateLrsConfigurationInput): Promise<LrsConfiguration> {
  authorize(ctx.actor, 'createLrsConfiguration');
  const input = parseInput(CreateLrsConfigurationInput, rawInput);
  const url = await requireSafeUrl(ctx, input.url);
  return withAudit(ctx, { action: 'createLrsConfiguration', subjectType: 'lrs_configuration', subjectId: (lrs) => lrs.id }, async (tx) => {
    const row = await insertEndpoint(tx, {
      channel: 'xapi',
      lrs: { version: input.version, username: input.username, actorFormat: input.actorFormat, homePage: input.homePage },
      url,
      description: input.description ?? null,
      eventTypes: input.eventTypes?.length ? input.eventTypes : [...XAPI_EVENT_TYPES],
      secret: input.password,
    });
    return presentLrsConfiguration(row);
  });
}
