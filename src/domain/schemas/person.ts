import { z } from 'zod';
import { GOAL_FOCUSES } from '../../vocabulary.ts';
import { Id, PageQuery, Timestamp, longText, pageOf, shortText } from './common.ts';

// Built once: listing the zones costs ~0.4 ms, which a 1,000-person sync would pay per person.
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
// Node 20's ICU lists some zones by their old names (Asia/Calcutta, Europe/Kiev); the current
// IANA names (Asia/Kolkata, Europe/Kyiv) are what HR systems send, and Intl accepts them.
const isZone = (value: string) => {
  if (TIME_ZONES.has(value)) return true;
  if (!value.includes('/')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};
export const timezone = z.string().max(64).refine(isZone, 'must be an IANA time zone such as Europe/London');

/** A person's text bounds, shared by the REST people schema and the SCIM directory (directory.ts). */
export const PERSON_LIMITS = { name: 200, email: 320, externalId: 200, location: 200 } as const;
export const PersonEmail = z.email().max(PERSON_LIMITS.email);

export const PersonFields = z.strictObject({
  name: shortText(PERSON_LIMITS.name),
  email: PersonEmail.nullable().optional(),
  timezone: timezone.optional(),
  skills: z.array(shortText(100)).max(50).optional(),
  qualifications: z.array(shortText(200)).max(50).optional(),
  experienceSummary: longText(4000).nullable().optional(),
  capacity: z.number().int().min(0).max(100).optional().meta({ description: 'Most active mentees at once (default 1).' }),
  experienceYears: z.number().int().min(0).max(80).nullable().optional().meta({ description: "The mentor's years of experience (matching)." }),
  grade: z.number().int().min(0).max(100).nullable().optional().meta({ description: 'Seniority as a number, higher more senior (matching prefers a mentor one or two grades above).' }),
  location: shortText(PERSON_LIMITS.location).nullable().optional().meta({ description: 'Where the person works (matching).' }),
  aspiration: longText(2000).nullable().optional().meta({ description: "As a mentee: what they hope to reach, matched against mentors' skills." }),
  goalFocus: z.enum(GOAL_FOCUSES).nullable().optional().meta({ description: 'As a mentee: the focus of the goals they seek help with.' }),
  preferredMentorIds: z.array(Id).max(20).optional().meta({ description: 'As a mentee: mentors they prefer, best first.' }),
});

export const CreatePersonInput = PersonFields.extend({
  externalId: shortText(PERSON_LIMITS.externalId).nullable().optional().meta({ description: 'Your HRIS id; unique in the organisation.' }),
}).meta({ id: 'CreatePerson' });
export type CreatePersonInput = z.infer<typeof CreatePersonInput>;

export const UpdatePersonInput = CreatePersonInput.partial().meta({ id: 'UpdatePerson' });
export type UpdatePersonInput = z.infer<typeof UpdatePersonInput>;

export const UpsertPersonInput = PersonFields.meta({ id: 'UpsertPerson' });
export type UpsertPersonInput = z.infer<typeof UpsertPersonInput>;

export const BatchUpsertPeopleInput = z
  .strictObject({
    people: z.array(PersonFields.extend({ externalId: shortText(PERSON_LIMITS.externalId) })).min(1).max(1000),
  })
  .meta({ id: 'BatchUpsertPeople' });
export type BatchUpsertPeopleInput = z.infer<typeof BatchUpsertPeopleInput>;

export const Person = z
  .object({
    id: Id,
    externalId: z.string().nullable(),
    name: z.string(),
    email: z.string().nullable(),
    timezone: z.string(),
    skills: z.array(z.string()),
    qualifications: z.array(z.string()),
    experienceSummary: z.string().nullable(),
    capacity: z.number().int(),
    experienceYears: z.number().int().nullable(),
    grade: z.number().int().nullable(),
    location: z.string().nullable(),
    aspiration: z.string().nullable(),
    goalFocus: z.enum(GOAL_FOCUSES).nullable(),
    preferredMentorIds: z.array(z.string()),
    userName: z.string().nullable().meta({ description: "The identity provider's login name (SCIM userName); null when not provisioned by SCIM." }),
    active: z.boolean().meta({ description: 'False once de-provisioned: the person can no longer act.' }),
    locale: z.string().nullable(),
    employeeNumber: z.string().nullable(),
    department: z.string().nullable(),
    organization: z.string().nullable(),
    managerId: z.string().nullable().meta({ description: "The manager's id as the identity provider names it (SCIM enterprise manager.value)." }),
    erasedAt: Timestamp.nullable().meta({ description: 'When the personal data was erased (tombstones in its place).' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof Person>;

export const PersonPage = pageOf(Person, 'Person');

export const ListPeopleQuery = PageQuery.extend({ externalId: z.string().max(200).optional() });
export type ListPeopleQuery = z.infer<typeof ListPeopleQuery>;

export const BatchUpsertResult = z
  .object({ created: z.number().int(), updated: z.number().int(), people: z.array(Person) })
  .meta({ id: 'BatchUpsertResult' });
