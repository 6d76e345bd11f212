import { iso } from '../present.ts';
import type { DirectoryPerson } from '../schemas/directory.ts';
import type { PersonRow } from './present-person.ts';

/** A provisioned person (one with a userName) as the directory sees it. */
export const presentDirectoryPerson = (row: PersonRow & { userName: string }): DirectoryPerson => ({
  id: row.id,
  userName: row.userName,
  externalId: row.externalId,
  name: row.name,
  email: row.email,
  active: row.active,
  timezone: row.timezone,
  locale: row.locale,
  employeeNumber: row.employeeNumber,
  department: row.department,
  organization: row.organization,
  managerId: row.managerId,
  directory: row.directory,
  version: row.version,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

export const isProvisioned = (row: PersonRow | undefined): row is PersonRow & { userName: string } => row !== undefined && row.userName !== null;
