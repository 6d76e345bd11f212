import { and, eq, ne, or, sql } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import type { DirectoryPersonInput, ParsedDirectoryPerson as Parsed } from '../schemas/directory.ts';
import type { PersonRow } from './present-person.ts';

/**
 * The columns a directory write sets: every directory field, replaced (RFC 7644 §3.5.1: what a
 * replacement leaves out is cleared), except the time zone, which keeps its value when the
 * identity provider sends none (HR sync or the person set it; most directories hold no zone).
 * Profile fields (skills, capacity…) belong to the REST sync and are not touched.
 */
export const directoryValues = (input: Parsed, current?: PersonRow) => ({
  userName: input.userName,
  externalId: input.externalId ?? null,
  name: input.name,
  email: input.email ?? null,
  active: input.active,
  timezone: input.timezone ?? current?.timezone ?? 'UTC',
  locale: input.locale ?? null,
  employeeNumber: input.employeeNumber ?? null,
  department: input.department ?? null,
  organization: input.organization ?? null,
  managerId: input.managerId ?? null,
  directory: input.directory ?? {},
});

/**
 * Refuses a userName or externalId another person of the organisation holds, with a reason the
 * SCIM transport answers as `uniqueness`. A person the REST sync created (an externalId, no
 * userName yet) is not a clash: provisioning adopts them (see provisionPerson).
 */
export async function requireUnique(tx: Ctx, input: Pick<DirectoryPersonInput, 'userName' | 'externalId'>, self?: string): Promise<PersonRow | undefined> {
  const others = await tx.db
    .select()
    .from(people)
    .where(
      and(
        eq(people.orgId, tx.actor.org),
        self ? ne(people.id, self) : undefined,
        or(sql`lower(${people.userName}) = lower(${input.userName})`, input.externalId ? eq(people.externalId, input.externalId) : undefined),
      ),
    )
    .for('update');
  if (others.some((row) => row.userName !== null && row.userName.toLowerCase() === input.userName.toLowerCase())) {
    throw conflict(`Another user already has the userName ${input.userName}.`, { reason: 'USER_NAME_TAKEN' });
  }
  const sameExternal = others.find((row) => input.externalId && row.externalId === input.externalId);
  if (sameExternal && (self || sameExternal.userName !== null)) {
    throw conflict(`Another person already has the externalId ${input.externalId}.`, { reason: 'EXTERNAL_ID_TAKEN' });
  }
  return sameExternal;
}
