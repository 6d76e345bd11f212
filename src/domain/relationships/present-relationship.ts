import { iso, isoOrNull } from '../present.ts';
import type { RelationshipRow } from '../access.ts';
import type { Relationship } from '../schemas/relationship.ts';
import type { WithIsoTimestamps } from '../../db/iso-rows.ts';

export const presentRelationship = (row: RelationshipRow | WithIsoTimestamps<RelationshipRow>): Relationship => ({
  id: row.id,
  programmeId: row.programmeId,
  mentorId: row.mentorId,
  menteeId: row.menteeId,
  stage: row.stage,
  status: row.status,
  version: row.version,
  round: row.round,
  aspiration: row.aspiration,
  agreement: row.agreement,
  mentorAcceptedAt: isoOrNull(row.mentorAcceptedAt),
  menteeAcceptedAt: isoOrNull(row.menteeAcceptedAt),
  mentorAcceptanceNote: row.mentorAcceptanceNote,
  menteeAcceptanceNote: row.menteeAcceptanceNote,
  hopes: row.hopes,
  challenges: row.challenges,
  referralMentorId: row.referralMentorId,
  declineReason: row.declineReason,
  referredFromId: row.referredFromId,
  referredToId: row.referredToId,
  stageEnteredAt: iso(row.stageEnteredAt),
  lastActivityAt: iso(row.lastActivityAt),
  quietSince: isoOrNull(row.quietSince),
  endedAt: isoOrNull(row.endedAt),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});
