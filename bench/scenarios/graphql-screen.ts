import { existsSync } from 'node:fs';
import type { CeilingDb } from '../ceilings/ceiling-db.ts';
import * as s from '../ceilings/statements.ts';
import { pick, type BenchContext, type Scenario } from './types.ts';

/** The relationship screen of a front end: people, programme, goals, activity, history and what blocks the next move. */
export const SCREEN_QUERY = /* GraphQL */ `
  query Screen($id: ID!) {
    relationship(id: $id) {
      id stage status version endedAt aspiration
      mentor { id name } mentee { id name } programme { id name stageModel { key } }
      agreement { contactChannel mentorCanHelpWith }
      goals { id title status dueOn metrics { id name target } milestones { id title doneAt } tasks { id title dueOn } }
      sessions { id kind } reflections { id kind authorParty }
      history { version fromStage toStage toStatus reason }
      nextStages { stage allowed blockers { code message guard target { type id } } }
    }
  }`;

async function skipReason(ctx: BenchContext): Promise<string | null> {
  if (!existsSync(new URL('../../src/graphql/plugin.ts', import.meta.url))) return 'src/graphql does not exist yet';
  const response = await fetch(`${ctx.appUrl}/graphql`, { method: 'POST', headers: ctx.headers, body: JSON.stringify({ query: '{ __typename }' }) }).catch(() => null);
  if (!response || response.status !== 200) return `/graphql does not answer (${response?.status ?? 'no connection'})`;
  return null;
}

/** loadGoals: the goals and their metrics, milestones and tasks, side by side (the parts name their goals by subquery). */
async function loadGoals(db: CeilingDb, org: string, relationshipIds: string[]) {
  await Promise.all(s.goalStatements.map((statement) => db.run(statement, { org, ids: relationshipIds })));
}

/**
 * What mercurius runs for SCREEN_QUERY: the relationship, then one batch loader per field, side by side,
 * sharing the request's memo (src/graphql/request-memo.ts): the programme and the goals are read once for
 * their fields and nextStages, mentor and mentee are one people batch, and no relationship is read again
 * (nextStages is handed the relationship its field hangs on).
 */
async function screen(db: CeilingDb, org: string, id: string): Promise<void> {
  const [row] = await db.run(s.relationshipById, { org, id });
  if (!row) throw new Error('relationship not found');
  const r = { ids: [id] };
  const programme = db.run(s.programmesIn, { org, ids: [row.programme_id] });
  await Promise.all([
    programme,
    db.run(s.peopleIn, { org, ids: [row.mentor_id, row.mentee_id] }),
    loadGoals(db, org, [id]),
    db.run(s.sessionsIn, { org, ...r }),
    db.run(s.reflectionsIn, { org, ...r }),
    db.run(s.historyIn, { org, ...r }),
    // nextStages: once it has the programme, the guard facts the goals do not give.
    programme.then(() =>
      Promise.all([db.run(s.discoveryCountsIn, { org, ...r, kind: 'discovery', status: 'held' }), db.run(s.closingPartiesIn, { org, ...r, kind: 'closing' })]),
    ),
  ]);
}

/** POST /graphql with the relationship screen query, a random seeded relationship each time. */
export const graphqlScreen: Scenario = {
  name: 'graphql-screen',
  title: 'POST /graphql relationship screen',
  group: 'read',
  target: 0.7,
  combinedTarget: 0.85,
  latencyRate: 20,
  skipReason,
  async prepare(ctx) {
    return {
      requests: async () => () => ({ method: 'POST', path: '/graphql', body: JSON.stringify({ query: SCREEN_QUERY, variables: { id: pick(ctx.relationshipIds) } }) }),
      ceiling: (db) => () => screen(db, ctx.org, pick(ctx.relationshipIds)),
    };
  },
};
