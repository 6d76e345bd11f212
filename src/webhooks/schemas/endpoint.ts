import { z } from 'zod';
import { Id, PageQuery, Timestamp, pageOf } from '../../domain/schemas/common.ts';
import { SUBSCRIBABLE_EVENT_TYPES } from '../event-catalogue.ts';

export const EventTypeName = z.enum(SUBSCRIBABLE_EVENT_TYPES).meta({ id: 'EventType' });

/** An outbound URL of either channel, held to the SSRF guard's rules. */
export const OUTBOUND_URL_RULE = 'https only (http only when WEBHOOK_ALLOW_PRIVATE_URLS is set); a host on a loopback, private, link-local or metadata address is refused.';
export const outboundUrl = () => z.url({ message: 'must be an absolute URL' }).max(2000);
const url = outboundUrl().meta({ description: OUTBOUND_URL_RULE, example: 'https://hooks.example.com/tandem' });
export const endpointDescription = z.string().trim().max(500).nullable();
const description = endpointDescription;
/** A list of event types without repeats. */
export const eventTypeList = <T extends z.ZodType<string>>(name: T, max: number) =>
  z
    .array(name)
    .max(max)
    .refine((types) => new Set(types).size === types.length, 'must not repeat a type');
const eventTypes = eventTypeList(EventTypeName, SUBSCRIBABLE_EVENT_TYPES.length).meta({ description: 'The event types sent to this endpoint; empty means every type.' });
const includeNames = z.boolean().meta({ description: "false: messages name people by id and externalId only, never by name (docs/events.md). Default true." });

export const CreateWebhookEndpointInput = z
  .strictObject({ url, description: description.optional(), eventTypes: eventTypes.optional(), includeNames: includeNames.optional() })
  .meta({ id: 'CreateWebhookEndpoint' });
export type CreateWebhookEndpointInput = z.input<typeof CreateWebhookEndpointInput>;

export const UpdateWebhookEndpointInput = z
  .strictObject({
    url: url.optional(),
    description: description.optional(),
    eventTypes: eventTypes.optional(),
    includeNames: includeNames.optional(),
    enabled: z.boolean().optional().meta({ description: 'true re-enables a disabled endpoint: its pending deliveries resume and its failure record is cleared.' }),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'give at least one field to change' })
  .meta({ id: 'UpdateWebhookEndpoint' });
export type UpdateWebhookEndpointInput = z.input<typeof UpdateWebhookEndpointInput>;

export const WebhookEndpoint = z
  .object({
    id: Id,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    includeNames,
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    disabledAt: Timestamp.nullable(),
    failingSince: Timestamp.nullable().meta({ description: 'The first failure since the last success; 5 days of it disables the endpoint.' }),
    lastSuccessAt: Timestamp.nullable(),
    previousSecretExpiresAt: Timestamp.nullable().meta({ description: 'Until then the previous secret signs too (a second signature).' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().meta({ description: 'The signing secret (`whsec_…`), shown only now: store it.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
}).meta({ id: 'WebhookEndpointWithSecret' });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const WebhookEndpointPage = pageOf(WebhookEndpoint, 'WebhookEndpoint');
export const ListWebhookEndpointsQuery = PageQuery;

export const RecoverInput = z
  .strictObject({
    since: Timestamp,
    until: Timestamp.optional().meta({ description: 'Defaults to now. At most 14 days after since.' }),
  })
  .meta({ id: 'RecoverWebhookEndpoint' });
export type RecoverInput = z.input<typeof RecoverInput>;

export const RecoveryAccepted = z
  .object({
    endpointId: Id,
    since: Timestamp,
    until: Timestamp,
    queued: z.number().int().meta({ description: 'Events queued to be sent again (their earlier deliveries failed, or they had none).' }),
    broughtForward: z.number().int().meta({ description: 'Deliveries that were waiting for a later retry, now due at once (still one send each).' }),
  })
  .meta({ id: 'WebhookRecoveryAccepted' });
export type RecoveryAccepted = z.infer<typeof RecoveryAccepted>;

export const TestEventAccepted = z.object({ eventId: Id, deliveryId: Id }).meta({ id: 'WebhookTestAccepted' });
export type TestEventAccepted = z.infer<typeof TestEventAccepted>;
