import { iso, isoOrNull } from '../../domain/present.ts';
import { XAPI_EVENT_TYPES, type XapiEventType } from '../../vocabulary.ts';
import type { EndpointRow } from '../../webhooks/claim.ts';
import type { LrsConfiguration } from './schemas.ts';

const isXapiType = (type: string): type is XapiEventType => (XAPI_EVENT_TYPES as readonly string[]).includes(type);

/** An LRS configuration as it leaves: never its password. */
export const presentLrsConfiguration = (row: EndpointRow): LrsConfiguration => ({
  id: row.id,
  url: row.url,
  username: row.lrs?.username ?? '',
  version: row.lrs?.version ?? '1.0.3',
  actorFormat: row.lrs?.actorFormat ?? 'account',
  homePage: row.lrs?.homePage ?? '',
  eventTypes: row.eventTypes.filter(isXapiType),
  description: row.description,
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  disabledAt: isoOrNull(row.disabledAt),
  failingSince: isoOrNull(row.failingSince),
  lastSuccessAt: isoOrNull(row.lastSuccessAt),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});
