import { sessions } from '../../db/schema.ts';
import { iso } from '../present.ts';
import type { Session } from '../schemas/activity.ts';

export const presentSession = (row: typeof sessions.$inferSelect): Session => ({
  id: row.id,
  relationshipId: row.relationshipId,
  kind: row.kind,
  heldAt: iso(row.heldAt),
  minutes: row.minutes,
  notes: row.notes,
  loggedBy: row.loggedBy,
  createdAt: iso(row.createdAt),
});
