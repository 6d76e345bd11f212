import type { DirectoryPerson, DirectoryPersonInput } from '../domain/schemas/directory.ts';
import { invalidValue } from './errors.ts';
import { SCHEMA } from './schemas.ts';

// A SCIM User (RFC 7643 §4.1, with the enterprise extension §4.3) and a directory person, both
// ways. Mapped onto the person: userName, externalId, active, timezone, locale, the primary email,
// the enterprise employeeNumber, department, organization and manager; Tandem's name for the
// person is drawn from displayName or the name's parts. Everything else an identity provider sends (name parts, title, phone numbers, other
// emails, further enterprise attributes) is kept as sent and returned. Never kept: id, meta and
// schemas (ours), password (RFC 7643: never returned; Tandem has no passwords) and groups (read-only).

export type ScimResource = Record<string, unknown>;

const MAPPED = new Set(['id', 'meta', 'schemas', 'password', 'groups', 'username', 'externalid', 'active', 'timezone', 'locale']);
const ENTERPRISE_MAPPED = new Set(['employeenumber', 'department', 'organization', 'manager']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const textOrNull = (value: unknown, attribute: string): string | null => {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalidValue(`${attribute} must be a string.`);
};

/** `active` as a boolean; Entra ID sends "True" and "False" strings (a known deviation it documents). */
function activeOf(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidValue('active must be true or false.');
}

/** The email Tandem keeps: the primary one, else the work one, else the first. */
function primaryEmailIndex(emails: unknown[]): number {
  const objects = emails.map((email) => (isObject(email) ? email : {}));
  const primary = objects.findIndex((email) => email.primary === true || email.primary === 'true' || email.primary === 'True');
  if (primary >= 0) return primary;
  const work = objects.findIndex((email) => email.type === 'work');
  return work >= 0 ? work : 0;
}

/** Attribute names are case-insensitive (RFC 7643 §2.1): the value of `name` whatever its case. */
function pick(resource: ScimResource, name: string): unknown {
  const key = Object.keys(resource).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : resource[key];
}

/** A SCIM User resource (POST or PUT body, or a resource after PATCH) as a directory person. */
export function fromScimUser(resource: unknown): DirectoryPersonInput {
  if (!isObject(resource)) throw invalidValue('The body must be a SCIM User resource (a JSON object).');
  const userName = pick(resource, 'userName');
  if (typeof userName !== 'string' || userName.trim() === '') throw invalidValue('userName is required.');
  const emails = pick(resource, 'emails');
  if (emails !== undefined && emails !== null && !Array.isArray(emails)) throw invalidValue('emails must be an array.');
  const emailList = Array.isArray(emails) ? emails : [];
  const primary = emailList.length ? emailList[primaryEmailIndex(emailList)] : undefined;
  const email = isObject(primary) ? textOrNull(primary.value, 'emails.value') : null;
  const name = pick(resource, 'name');
  if (name !== undefined && name !== null && !isObject(name)) throw invalidValue('name must be an object.');
  const enterprise = pick(resource, SCHEMA.enterprise);
  if (enterprise !== undefined && enterprise !== null && !isObject(enterprise)) throw invalidValue(`${SCHEMA.enterprise} must be an object.`);
  const extension = isObject(enterprise) ? enterprise : {};
  const manager = pick(extension, 'manager');
  // Entra ID sends the manager as a bare id string; RFC 7643 as { value }.
  const managerId = isObject(manager) ? textOrNull(manager.value, 'manager.value') : textOrNull(manager, 'manager');

  const directory: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (MAPPED.has(key.toLowerCase()) || key === SCHEMA.enterprise || value === null) continue;
    directory[key] = value;
  }
  const enterpriseRest = Object.fromEntries(Object.entries(extension).filter(([key]) => !ENTERPRISE_MAPPED.has(key.toLowerCase())));
  if (Object.keys(enterpriseRest).length) directory[SCHEMA.enterprise] = enterpriseRest;

  const given = isObject(name) ? [name.givenName, name.familyName].filter((part) => typeof part === 'string' && part.trim()).join(' ') : '';
  // Tandem's name for the person: the display name, else the name's parts (a PATCH of
  // name.familyName changes them, not name.formatted), else the formatted name, else the userName.
  const shownName =
    textOrNull(pick(resource, 'displayName'), 'displayName') || given || (isObject(name) ? textOrNull(name.formatted, 'name.formatted') : null) || userName;
  const timezone = textOrNull(pick(resource, 'timezone'), 'timezone');
  return {
    userName,
    externalId: textOrNull(pick(resource, 'externalId'), 'externalId'),
    name: shownName,
    email,
    active: activeOf(pick(resource, 'active')),
    ...(timezone ? { timezone } : {}),
    locale: textOrNull(pick(resource, 'locale'), 'locale'),
    employeeNumber: textOrNull(pick(extension, 'employeeNumber'), 'employeeNumber'),
    department: textOrNull(pick(extension, 'department'), 'department'),
    organization: textOrNull(pick(extension, 'organization'), 'organization'),
    managerId,
    directory,
  };
}

/** A directory person as a SCIM User resource; attributes without a value are left out (RFC 7643 §2.5). */
export function toScimUser(person: DirectoryPerson, location: string): ScimResource {
  const { [SCHEMA.enterprise]: keptEnterprise, emails: keptEmails, ...kept } = person.directory;
  const enterprise: Record<string, unknown> = {
    ...(isObject(keptEnterprise) ? keptEnterprise : {}),
    ...(person.employeeNumber !== null ? { employeeNumber: person.employeeNumber } : {}),
    ...(person.department !== null ? { department: person.department } : {}),
    ...(person.organization !== null ? { organization: person.organization } : {}),
    ...(person.managerId !== null ? { manager: { value: person.managerId } } : {}),
  };
  const hasEnterprise = Object.keys(enterprise).length > 0;
  return {
    schemas: hasEnterprise ? [SCHEMA.user, SCHEMA.enterprise] : [SCHEMA.user],
    id: person.id,
    ...(person.externalId !== null ? { externalId: person.externalId } : {}),
    userName: person.userName,
    ...kept,
    ...emailsOf(person.email, Array.isArray(keptEmails) ? keptEmails : []),
    active: person.active,
    timezone: person.timezone,
    ...(person.locale !== null ? { locale: person.locale } : {}),
    ...(hasEnterprise ? { [SCHEMA.enterprise]: enterprise } : {}),
    meta: { resourceType: 'User', created: person.createdAt, lastModified: person.updatedAt, version: etagOf(person.version), location },
  };
}

/**
 * The emails as the identity provider sent them, with the one Tandem keeps showing the person's
 * email now (the REST sync may have changed it, or cleared it).
 */
function emailsOf(email: string | null, sent: unknown[]): { emails?: unknown[] } {
  const emails = sent.filter(isObject).map((entry) => ({ ...entry }));
  if (emails.length === 0) return email === null ? {} : { emails: [{ value: email, type: 'work', primary: true }] };
  const index = primaryEmailIndex(emails);
  if (email === null) emails.splice(index, 1);
  else emails[index] = { ...emails[index], value: email };
  return emails.length ? { emails } : {};
}

/** SCIM versions are weak ETags (RFC 7644 §3.14). */
export const etagOf = (version: number) => `W/"${version}"`;
