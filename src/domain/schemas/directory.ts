import { z } from 'zod';
import { Id, Timestamp, Version, shortText } from './common.ts';
import { PERSON_LIMITS, PersonEmail, timezone } from './person.ts';

// The directory side of a person, as identity providers keep it (SCIM 2.0 Users, src/scim/). One
// person, one table: SCIM and the REST HR sync read and write the same rows (RFC 7643 names in
// comments where they differ).

const optionalText = (max: number) => shortText(max).nullable().optional();

/**
 * Characters each directory attribute may hold: the REST people schema's bounds where the two share
 * a field (person.ts PERSON_LIMITS); `kept` for each text an identity provider sends beyond the mapped
 * fields (title, phone numbers, name parts…), `emails` for every address it sends, nested at most
 * `keptDepth` deep and `keptBytes` of JSON in all. SCIM's schema discovery states them (scim/discovery.ts).
 */
export const DIRECTORY_LIMITS = {
  userName: PERSON_LIMITS.email,
  externalId: PERSON_LIMITS.externalId,
  name: PERSON_LIMITS.name,
  email: PERSON_LIMITS.email,
  locale: 35,
  employeeNumber: 200,
  department: 200,
  organization: 200,
  managerId: 200,
  kept: 1000,
  keptDepth: 8,
  keptBytes: 16 * 1024,
} as const;

/** Every text kept as sent within its bound, nesting bounded (walked without recursion), then the whole within its bytes. */
function checkKept(value: Record<string, unknown>, context: z.RefinementCtx) {
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (path.length > DIRECTORY_LIMITS.keptDepth) {
      context.addIssue({ code: 'custom', path, message: `must be nested at most ${DIRECTORY_LIMITS.keptDepth} deep` });
      return;
    }
    if (typeof item === 'string') {
      const isEmail = path.length === 3 && path[0] === 'emails' && path[2] === 'value';
      const max = isEmail ? DIRECTORY_LIMITS.email : DIRECTORY_LIMITS.kept;
      if (item.length > max) context.addIssue({ code: 'custom', path, message: `must be at most ${max} characters` });
    } else if (Array.isArray(item)) {
      item.forEach((inner, index) => stack.push([inner, [...path, index]]));
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, inner] of Object.entries(item)) stack.push([inner, [...path, key]]);
    }
  }
  if (JSON.stringify(value).length > DIRECTORY_LIMITS.keptBytes) context.addIssue({ code: 'custom', message: `must be at most ${DIRECTORY_LIMITS.keptBytes} bytes of JSON` });
}

export const DirectoryPersonInput = z.strictObject({
  userName: shortText(DIRECTORY_LIMITS.userName),
  externalId: optionalText(DIRECTORY_LIMITS.externalId),
  name: shortText(DIRECTORY_LIMITS.name).meta({ description: 'The name shown for the person (SCIM name.formatted or displayName).' }),
  email: PersonEmail.nullable().optional(),
  active: z.boolean().default(true),
  timezone: timezone.optional(),
  locale: optionalText(DIRECTORY_LIMITS.locale),
  employeeNumber: optionalText(DIRECTORY_LIMITS.employeeNumber),
  department: optionalText(DIRECTORY_LIMITS.department),
  organization: optionalText(DIRECTORY_LIMITS.organization),
  managerId: optionalText(DIRECTORY_LIMITS.managerId),
  directory: z
    .record(z.string(), z.unknown())
    .superRefine(checkKept)
    .optional()
    .meta({ description: 'Further attributes of the identity provider (name parts, title, phone numbers…), kept and returned as sent.' }),
});
export type DirectoryPersonInput = z.input<typeof DirectoryPersonInput>;
export type ParsedDirectoryPerson = z.output<typeof DirectoryPersonInput>;

export const DirectoryPerson = z.object({
  id: Id,
  userName: z.string(),
  externalId: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
  timezone: z.string(),
  locale: z.string().nullable(),
  employeeNumber: z.string().nullable(),
  department: z.string().nullable(),
  organization: z.string().nullable(),
  managerId: z.string().nullable(),
  directory: z.record(z.string(), z.unknown()),
  version: Version,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DirectoryPerson = z.infer<typeof DirectoryPerson>;

/** What a directory list filter may compare (SCIM attribute paths map onto these). */
export const FILTER_ATTRIBUTES = ['id', 'userName', 'externalId', 'displayName', 'email', 'active', 'created', 'lastModified'] as const;
export type FilterAttribute = (typeof FILTER_ATTRIBUTES)[number];
export const COMPARISONS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;

/** A filter over directory people: the parsed form of a SCIM filter, independent of its grammar. */
export type PersonFilter =
  | { op: 'and' | 'or'; filters: PersonFilter[] }
  | { op: 'not'; filter: PersonFilter }
  | { op: 'pr'; attribute: FilterAttribute }
  | { op: (typeof COMPARISONS)[number]; attribute: FilterAttribute; value: string | boolean };

export const PersonFilterSchema: z.ZodType<PersonFilter> = z.lazy(() =>
  z.union([
    z.strictObject({ op: z.enum(['and', 'or']), filters: z.array(PersonFilterSchema).min(1).max(50) }),
    z.strictObject({ op: z.literal('not'), filter: PersonFilterSchema }),
    z.strictObject({ op: z.literal('pr'), attribute: z.enum(FILTER_ATTRIBUTES) }),
    z.strictObject({ op: z.enum(COMPARISONS), attribute: z.enum(FILTER_ATTRIBUTES), value: z.union([z.string().max(1000), z.boolean()]) }),
  ]),
);

/**
 * How big a filter may be (issue 36): the SQL it becomes grows with its terms and its nesting.
 * Identity providers send one or two comparisons; these leave room for hand-written ones.
 */
export const FILTER_BOUNDS = { terms: 20, depth: 6 } as const;

/** Why the filter is over its bounds, or null. */
export function filterBoundsProblem(filter: PersonFilter): string | null {
  let terms = 0;
  let deepest = 0;
  const visit = (f: PersonFilter, depth: number) => {
    deepest = Math.max(deepest, depth);
    if (f.op === 'and' || f.op === 'or') for (const inner of f.filters) visit(inner, depth + 1);
    else if (f.op === 'not') visit(f.filter, depth + 1);
    else terms += 1;
  };
  visit(filter, 0);
  if (terms > FILTER_BOUNDS.terms) return `The filter has ${terms} comparisons; at most ${FILTER_BOUNDS.terms}.`;
  if (deepest > FILTER_BOUNDS.depth) return `The filter nests ${deepest} deep (and, or, not); at most ${FILTER_BOUNDS.depth}.`;
  return null;
}

/**
 * What a directory list may be ordered by (SCIM sortBy: userName, externalId, name.familyName,
 * meta.created, meta.lastModified). Each is one simple expression in SQL, with the id as tie-break.
 */
export const SORT_ATTRIBUTES = ['userName', 'externalId', 'familyName', 'created', 'lastModified'] as const;
export type SortAttribute = (typeof SORT_ATTRIBUTES)[number];

export const ListDirectoryPeopleInput = z.strictObject({
  filter: PersonFilterSchema.superRefine((filter, ctx) => {
    const problem = filterBoundsProblem(filter);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
  sortBy: z.enum(SORT_ATTRIBUTES).optional(),
  /** RFC 7644 §3.4.2.3: ascending unless asked; ignored without sortBy. */
  sortOrder: z.enum(['ascending', 'descending']).default('ascending'),
  /** 1-based, as SCIM counts (RFC 7644 §3.4.2.4). */
  startIndex: z.number().int().min(1).default(1),
  count: z.number().int().min(0).max(200).default(100),
});
export type ListDirectoryPeopleInput = z.input<typeof ListDirectoryPeopleInput>;

export interface DirectoryPeoplePage {
  total: number;
  startIndex: number;
  people: DirectoryPerson[];
}
