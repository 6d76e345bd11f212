import { integrationClients } from '../../db/schema.ts';
import type { Scope } from '../permissions.ts';
import { iso, isoOrNull } from '../present.ts';
import type { IntegrationClient } from '../schemas/client.ts';

type ClientRow = typeof integrationClients.$inferSelect;

export const presentClient = (row: ClientRow): IntegrationClient => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes as Scope[],
  createdBy: row.createdBy,
  createdAt: iso(row.createdAt),
  revokedAt: isoOrNull(row.revokedAt),
});
