import { sql, type SQL } from 'drizzle-orm';
import { goals, outboxEvents } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { ERASED_TEXT } from './erased.ts';

/**
 * A goal's achievement names who marked and who confirmed it (their token's subject, which may be
 * their HR id) and the marker's reason; `goal.achievement_marked` and `goal.achieved` events carry
 * the same fields at the top of their data. On erasure the marker's reason goes, and an HR id in
 * either act becomes the person's Tandem id, in the goal and in the outbox alike.
 */
export async function eraseAchievementActs(tx: Ctx, person: { id: string; subjects: string[]; hrisId: string | null }): Promise<void> {
  const org = tx.actor.org;
  const subjects = sql.join(
    person.subjects.map((s) => sql`${s}`),
    sql`, `,
  );
  const targets: [SQL, string][] = [
    [sql`${goals}`, goals.achievement.name],
    [sql`${outboxEvents}`, outboxEvents.payload.name],
  ];
  for (const [table, name] of targets) {
    const column = sql.identifier(name);
    await tx.db.execute(sql`
      update ${table} set ${column} = jsonb_set(${column}, '{reason}', to_jsonb(${ERASED_TEXT}::text))
      where org_id = ${org} and ${column}->'marked'->>'actor' in (${subjects}) and ${column}->>'reason' is not null`);
    if (!person.hrisId) continue;
    const renamed = (act: 'marked' | 'confirmed') =>
      sql`case when ${column}->${act}->>'actor' = ${person.hrisId} then jsonb_build_object(${act}::text, (${column}->${act}) || jsonb_build_object('actor', ${person.id}::text)) else '{}'::jsonb end`;
    await tx.db.execute(sql`
      update ${table} set ${column} = ${column} || ${renamed('marked')} || ${renamed('confirmed')}
      where org_id = ${org} and (${column}->'marked'->>'actor' = ${person.hrisId} or ${column}->'confirmed'->>'actor' = ${person.hrisId})`);
  }
}
