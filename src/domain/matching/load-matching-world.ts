import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import { people, relationships } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import type { PersonRow } from '../people/present-person.ts';
import { stemmedWords } from '../smart/wording.ts';
import { utcOffsetMinutes, type MenteeProfile, type MentorProfile } from './factors.ts';
import { pairKey, type PairHistory } from './score.ts';

/** Everything matching needs from the database for one programme, read in one go. */
export interface MatchingWorld {
  mentors: MentorProfile[];
  /** Every active person of the organisation who could be a mentee, by id. */
  people: Map<string, PersonRow>;
  history: PairHistory;
  /** Mentees who have an active relationship in the programme already. */
  pairedMentees: Set<string>;
  profileOf: (row: PersonRow) => MenteeProfile;
}

const hasMentorProfile = (row: PersonRow) => row.skills.length > 0 || row.qualifications.length > 0 || Boolean(row.experienceSummary?.trim());

/** A mentee has a profile to match on: an aspiration or a goal focus. */
export const hasMenteeProfile = (row: PersonRow) => Boolean(row.aspiration?.trim()) || row.goalFocus !== null;

/** People are read this many at a time: embedded PGlite runs each read in this thread, so one read of 10,000 would hold the event loop. */
const PEOPLE_PER_READ = 500;

async function readActivePeople(tx: Ctx): Promise<PersonRow[]> {
  const rows: PersonRow[] = [];
  for (let after: string | undefined; ; ) {
    const page = await tx.db
      .select()
      .from(people)
      .where(and(eq(people.orgId, tx.actor.org), eq(people.active, true), after === undefined ? undefined : gt(people.id, after)))
      .orderBy(asc(people.id))
      .limit(PEOPLE_PER_READ);
    rows.push(...page);
    if (page.length < PEOPLE_PER_READ) return rows;
    after = page.at(-1)!.id;
    await yieldToLoop();
  }
}

export async function loadMatchingWorld(tx: Ctx, programmeId: string): Promise<MatchingWorld> {
  const org = tx.actor.org;
  const [rows, loads, pairs] = await Promise.all([
    readActivePeople(tx),
    tx.db
      .select({ mentorId: relationships.mentorId, n: count() })
      .from(relationships)
      .where(and(eq(relationships.orgId, org), eq(relationships.status, 'active')))
      .groupBy(relationships.mentorId),
    tx.db
      .select({ mentorId: relationships.mentorId, menteeId: relationships.menteeId, status: relationships.status, programmeId: relationships.programmeId })
      .from(relationships)
      .where(and(eq(relationships.orgId, org), inArray(relationships.status, ['active', 'declined']))),
  ]);
  const at = tx.clock();
  const offsets = new Map<string, number>();
  const offsetOf = (zone: string) => {
    let offset = offsets.get(zone);
    if (offset === undefined) offsets.set(zone, (offset = utcOffsetMinutes(zone, at)));
    return offset;
  };
  const load = new Map(loads.map((row) => [row.mentorId, row.n]));
  const history: PairHistory = { declined: new Set(), active: new Set() };
  const pairedMentees = new Set<string>();
  for (const pair of pairs) {
    if (pair.status === 'declined') history.declined.add(pairKey(pair.mentorId, pair.menteeId));
    else if (pair.programmeId === programmeId) {
      history.active.add(pairKey(pair.mentorId, pair.menteeId));
      pairedMentees.add(pair.menteeId);
    }
  }
  const mentors = rows
    .filter((row) => hasMentorProfile(row) && row.capacity > 0)
    .map(
      (row): MentorProfile => ({
        id: row.id,
        name: row.name,
        directoryIds: [row.id, row.externalId, row.userName, row.employeeNumber].filter((value): value is string => Boolean(value)),
        active: row.active,
        hasProfile: true,
        capacity: row.capacity,
        load: load.get(row.id) ?? 0,
        timezone: row.timezone,
        utcOffsetMinutes: offsetOf(row.timezone),
        grade: row.grade,
        experienceYears: row.experienceYears,
        location: row.location,
        department: row.department,
        managerId: row.managerId,
        stems: stemmedWords([...row.skills, ...row.qualifications].join(' ')),
      }),
    );
  const profileOf = (row: PersonRow): MenteeProfile => ({
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    utcOffsetMinutes: offsetOf(row.timezone),
    aspiration: row.aspiration,
    aspirationStems: stemmedWords(row.aspiration ?? ''),
    goalFocus: row.goalFocus,
    grade: row.grade,
    location: row.location,
    department: row.department,
    managerId: row.managerId,
    preferredMentorIds: row.preferredMentorIds,
  });
  return { mentors, people: new Map(rows.map((row) => [row.id, row])), history, pairedMentees, profileOf };
}
