import { iso, isoOrNull } from '../../domain/present.ts';
import type { EndpointRow } from '../claim.ts';
import type { WebhookEndpoint } from '../schemas/endpoint.ts';

/** An endpoint as it leaves: never its secrets. */
export const presentEndpoint = (row: EndpointRow, now: Date): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  eventTypes: row.eventTypes,
  includeNames: row.includeNames,
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  disabledAt: isoOrNull(row.disabledAt),
  failingSince: isoOrNull(row.failingSince),
  lastSuccessAt: isoOrNull(row.lastSuccessAt),
  previousSecretExpiresAt: row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? iso(row.previousSecretExpiresAt) : null,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});
