import type { WithIsoTimestamps } from '../../db/iso-rows.ts';
import type { people } from '../../db/schema.ts';
import { iso, isoOrNull } from '../present.ts';
import type { Person } from '../schemas/person.ts';

export type PersonRow = typeof people.$inferSelect;

export const presentPerson = (row: PersonRow | WithIsoTimestamps<PersonRow>): Person => ({
  id: row.id,
  externalId: row.externalId,
  name: row.name,
  email: row.email,
  timezone: row.timezone,
  skills: row.skills,
  qualifications: row.qualifications,
  experienceSummary: row.experienceSummary,
  capacity: row.capacity,
  experienceYears: row.experienceYears,
  grade: row.grade,
  location: row.location,
  aspiration: row.aspiration,
  goalFocus: row.goalFocus,
  preferredMentorIds: row.preferredMentorIds,
  userName: row.userName,
  active: row.active,
  locale: row.locale,
  employeeNumber: row.employeeNumber,
  department: row.department,
  organization: row.organization,
  managerId: row.managerId,
  erasedAt: isoOrNull(row.erasedAt),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});
