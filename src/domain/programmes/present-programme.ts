import type { programmes } from '../../db/schema.ts';
import { matchingSettings } from '../matching/settings.ts';
import { iso } from '../present.ts';
import type { Programme } from '../schemas/programme.ts';

export type ProgrammeRow = typeof programmes.$inferSelect;

export const presentProgramme = (row: ProgrammeRow): Programme => ({
  id: row.id,
  name: row.name,
  description: row.description,
  stageModel: row.stageModel as Programme['stageModel'],
  discoveryMinutes: row.discoveryMinutes,
  discoveryRequired: row.discoveryRequired,
  discoveryMinMinutes: row.discoveryMinMinutes,
  goalHorizonMinDays: row.goalHorizonMinDays,
  goalHorizonMaxMonths: row.goalHorizonMaxMonths,
  endsOn: row.endsOn,
  onPersonDeactivated: row.onPersonDeactivated,
  defaultCadenceDays: row.defaultCadenceDays,
  quietGraceDays: row.quietGraceDays,
  invitationExpiryDays: row.invitationExpiryDays,
  dueSoonDays: row.dueSoonDays,
  sessionReminderMinutes: row.sessionReminderMinutes,
  endingNoticeDays: row.endingNoticeDays,
  onProgrammeEnd: row.onProgrammeEnd,
  matching: matchingSettings(row.matching),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});
