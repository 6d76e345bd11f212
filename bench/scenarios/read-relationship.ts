import * as s from '../ceilings/statements.ts';
import { pick, type Scenario } from './types.ts';

/** GET /v1/relationships/{id}, a random seeded id each time. */
export const readRelationship: Scenario = {
  name: 'read',
  title: 'GET /v1/relationships/{id}',
  group: 'read',
  target: 0.7,
  combinedTarget: 0.85,
  latencyRate: 200,
  async prepare(ctx) {
    return {
      requests: async () => () => ({ method: 'GET', path: `/v1/relationships/${pick(ctx.relationshipIds)}` }),
      ceiling: (db) => async () => {
        const [row] = await db.run(s.relationshipById, { org: ctx.org, id: pick(ctx.relationshipIds) });
        if (!row) throw new Error('relationship not found');
      },
    };
  },
};
