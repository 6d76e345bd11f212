import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { people, programmes, relationships } from '../../db/schema.ts';

/** A party as a statement may name them: by id, or by the email the row holds now (an erased person's tombstone is not used). */
export interface StatementPerson {
  id: string;
  email: string | null;
  erased: boolean;
}

/** What a statement needs beyond its event: the pair and the programme, as they are when it is sent. */
export interface StatementFacts {
  relationshipId: string;
  programme: { id: string; name: string };
  mentor: StatementPerson;
  mentee: StatementPerson;
}

/**
 * Reads the relationship, its programme and its two people, within the event's organisation, at
 * send time: so a person erased after the event is sent as an id, never as the name or email the
 * event once knew (and a person no longer there as no one's email). Null when the relationship is not there (the statement cannot be built).
 */
export async function loadStatementFacts(db: Database, orgId: string, relationshipId: string): Promise<StatementFacts | null> {
  const [row] = await db
    .select({ id: relationships.id, mentorId: relationships.mentorId, menteeId: relationships.menteeId, programmeId: programmes.id, programmeName: programmes.name })
    .from(relationships)
    .innerJoin(programmes, eq(programmes.id, relationships.programmeId))
    .where(and(eq(relationships.orgId, orgId), eq(relationships.id, relationshipId)));
  if (!row) return null;
  const pair = await db
    .select({ id: people.id, email: people.email, erasedAt: people.erasedAt })
    .from(people)
    .where(and(eq(people.orgId, orgId), inArray(people.id, [row.mentorId, row.menteeId])));
  const person = (id: string): StatementPerson => {
    const found = pair.find((p) => p.id === id);
    return { id, email: found?.email ?? null, erased: !found || found.erasedAt !== null };
  };
  return { relationshipId: row.id, programme: { id: row.programmeId, name: row.programmeName }, mentor: person(row.mentorId), mentee: person(row.menteeId) };
}
