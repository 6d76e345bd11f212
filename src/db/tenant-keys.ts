import { foreignKey, index, primaryKey, type PgColumn } from 'drizzle-orm/pg-core';

/**
 * Tenancy held by the database itself: a tenant table's primary key is (org_id, id) and every
 * foreign key between tenant tables carries org_id, so PostgreSQL refuses a row that points into
 * another organisation, and the schema can be distributed by org_id (Citus wants the distribution
 * column in every key). The plain index on id serves the paths that know only an id: the webhook
 * dispatcher and the scheduler, which work across organisations, joins from a child row, and the
 * client-credentials exchange (test/db/tenancy-keys.test.ts holds every table with org_id to it).
 */
export const tenantKeys = (table: string, t: { orgId: PgColumn; id: PgColumn }) => [
  primaryKey({ name: `${table}_pkey`, columns: [t.orgId, t.id] }),
  index(`${table}_id_idx`).on(t.id),
];

/** A foreign key inside one organisation: (org_id, column) → (org_id, id) of the parent. */
export const tenantReference = (name: string, orgId: PgColumn, column: PgColumn, parent: { orgId: PgColumn; id: PgColumn }) =>
  foreignKey({ name, columns: [orgId, column], foreignColumns: [parent.orgId, parent.id] });
