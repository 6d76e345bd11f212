import { idCursor } from '../../src/domain/pagination.ts';
import * as s from '../ceilings/statements.ts';
import type { BenchContext, Scenario } from './types.ts';

const LIMIT = 25;

/** The id the page before `page` ends with: what the client holds as its cursor. */
async function cursorBefore(ctx: BenchContext, page: number): Promise<string> {
  const [row] = await ctx.sql<{ id: string }[]>`
    select id from relationships where org_id = ${ctx.org} and programme_id = ${ctx.bigProgrammeId}
    order by id offset ${(page - 1) * LIMIT - 1} limit 1`;
  if (!row) throw new Error(`the programme has fewer than ${page} pages`);
  return row.id;
}

/** GET /v1/relationships?programmeId=…&limit=25: the first page, or page `page` through its cursor. */
function listScenario(page: number): Scenario {
  return {
    name: page === 1 ? 'list-first' : `list-page-${page}`,
    title: page === 1 ? 'GET /v1/relationships?programmeId=…&limit=25 (first page)' : `GET /v1/relationships?programmeId=…&limit=25&cursor=… (page ${page})`,
    group: 'list',
    target: 0.7,
    combinedTarget: 0.85,
    latencyRate: 200,
    async prepare(ctx) {
      const cursorId = page === 1 ? null : await cursorBefore(ctx, page);
      const path = `/v1/relationships?programmeId=${ctx.bigProgrammeId}&limit=${LIMIT}${cursorId ? `&cursor=${idCursor.encode(cursorId)}` : ''}`;
      return {
        requests: async () => () => ({ method: 'GET', path }),
        ceiling: (db) => async () => {
          const values = { org: ctx.org, programmeId: ctx.bigProgrammeId, limit: LIMIT + 1, cursor: cursorId };
          const rows = await db.run(cursorId ? s.listByProgrammeAfter : s.listByProgramme, values);
          if (rows.length !== LIMIT + 1) throw new Error(`expected ${LIMIT + 1} rows, got ${rows.length}`);
        },
      };
    },
  };
}

export const listFirstPage = listScenario(1);
export const listPage50 = listScenario(50);
