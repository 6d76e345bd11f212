import { sessions } from '../../db/schema.ts';
import { iso, isoOrNull } from '../present.ts';
import type { Session } from '../schemas/activity.ts';

export const presentSession = (row: typeof sessions.$inferSelect): Session => ({
  id: row.id,
  relationshipId: row.relationshipId,
  kind: row.kind,
  status: row.status,
  plannedAt: isoOrNull(row.plannedAt),
  plannedMinutes: row.plannedMinutes,
  agenda: row.agenda,
  heldAt: isoOrNull(row.heldAt),
  minutes: row.minutes,
  notes: row.notes,
  reason: row.reason,
  loggedBy: row.loggedBy,
  statusChangedAt: isoOrNull(row.statusChangedAt),
  createdAt: iso(row.createdAt),
});
