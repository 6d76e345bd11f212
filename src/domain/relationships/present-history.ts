import { stageHistory } from '../../db/schema.ts';
import { iso } from '../present.ts';
import type { HistoryEntry } from '../schemas/relationship.ts';

export const presentHistory = (row: typeof stageHistory.$inferSelect): HistoryEntry => ({
  id: row.id,
  version: row.version,
  fromStage: row.fromStage,
  toStage: row.toStage,
  fromStatus: row.fromStatus,
  toStatus: row.toStatus,
  actor: row.actor,
  reason: row.reason,
  override: row.override,
  referralMentorId: row.referralMentorId,
  round: row.round,
  at: iso(row.at),
});
