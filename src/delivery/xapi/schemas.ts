import { z } from 'zod';
import { Id, PageQuery, Timestamp, pageOf, shortText } from '../../domain/schemas/common.ts';
import { XAPI_ACTOR_FORMATS, XAPI_EVENT_TYPES, XAPI_VERSIONS } from '../../vocabulary.ts';
import { OUTBOUND_URL_RULE, endpointDescription, eventTypeList, outboundUrl } from '../../webhooks/schemas/endpoint.ts';

export const XapiEventTypeName = z.enum(XAPI_EVENT_TYPES).meta({ id: 'XapiEventType' });
export const XapiVersionName = z.enum(XAPI_VERSIONS).meta({ id: 'XapiVersion', description: 'Sent as X-Experience-API-Version.' });
export const XapiActorFormatName = z
  .enum(XAPI_ACTOR_FORMATS)
  .meta({ id: 'XapiActorFormat', description: "`account`: the person's id on the home page; `mbox`: their email (an erased person, or one without email, is sent as an account)." });

const url = outboundUrl().meta({ description: `The LRS's xAPI endpoint (statements go to \`<url>/statements\`). ${OUTBOUND_URL_RULE}`, example: 'https://lrs.example.com/xapi' });
const homePage = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(500)
  .meta({ description: "The organisation's home page: every actor account's homePage, and the root of Tandem's activity ids.", example: 'https://www.example.com' });
const username = shortText(200).meta({ description: 'The Basic authentication key (user name) the LRS gave Tandem.' });
const password = z.string().min(1, 'must not be empty').max(500).meta({ description: 'The Basic authentication secret; stored like a webhook secret and never shown again.' });
const description = endpointDescription;
const eventTypes = eventTypeList(XapiEventTypeName, XAPI_EVENT_TYPES.length).meta({ description: 'The events sent as statements; empty or absent means every one that has a statement.' });

export const CreateLrsConfigurationInput = z
  .strictObject({
    url,
    username,
    password,
    version: XapiVersionName.default('1.0.3'),
    actorFormat: XapiActorFormatName.default('account'),
    homePage,
    eventTypes: eventTypes.optional(),
    description: description.optional(),
  })
  .meta({ id: 'CreateLrsConfiguration' });
export type CreateLrsConfigurationInput = z.input<typeof CreateLrsConfigurationInput>;

export const UpdateLrsConfigurationInput = z
  .strictObject({
    url: url.optional(),
    username: username.optional(),
    password: password.optional(),
    version: XapiVersionName.optional(),
    actorFormat: XapiActorFormatName.optional(),
    homePage: homePage.optional(),
    eventTypes: eventTypes.optional(),
    description: description.optional(),
    enabled: z.boolean().optional().meta({ description: 'true re-enables a disabled LRS: its pending statements resume and its failure record is cleared.' }),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'give at least one field to change' })
  .meta({ id: 'UpdateLrsConfiguration' });
export type UpdateLrsConfigurationInput = z.input<typeof UpdateLrsConfigurationInput>;

export const LrsConfiguration = z
  .object({
    id: Id,
    url: z.string(),
    username: z.string(),
    version: XapiVersionName,
    actorFormat: XapiActorFormatName,
    homePage: z.string(),
    eventTypes: z.array(XapiEventTypeName),
    description: z.string().nullable(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    disabledAt: Timestamp.nullable(),
    failingSince: Timestamp.nullable().meta({ description: 'The first failure since the last success; 5 days of it disables the configuration.' }),
    lastSuccessAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'LrsConfiguration' });
export type LrsConfiguration = z.infer<typeof LrsConfiguration>;

export const LrsConfigurationPage = pageOf(LrsConfiguration, 'LrsConfiguration');
export const ListLrsConfigurationsQuery = PageQuery;
