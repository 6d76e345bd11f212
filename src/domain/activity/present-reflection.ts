import { reflections } from '../../db/schema.ts';
import { iso } from '../present.ts';
import type { Reflection } from '../schemas/activity.ts';

export const presentReflection = (row: typeof reflections.$inferSelect): Reflection => ({
  id: row.id,
  relationshipId: row.relationshipId,
  authorParty: row.authorParty,
  authorId: row.authorId,
  kind: row.kind,
  text: row.text,
  whatWorked: row.whatWorked,
  whatDidNot: row.whatDidNot,
  howBenefited: row.howBenefited,
  round: row.round,
  createdAt: iso(row.createdAt),
});
