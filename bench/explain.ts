import type postgres from 'postgres';
import { v7 as uuidv7 } from 'uuid';
import type { CapturedStatement } from './child/capture.ts';
import { describeStatement } from './measure/statement-check.ts';

export interface ExplainedStatement {
  statement: string;
  /** Planning and execution time of one EXPLAIN ANALYZE run, ms. */
  planningMs: number;
  executionMs: number;
  /** Plan nodes, outermost first, e.g. "Index Scan using relationships_pkey on relationships". */
  nodes: string[];
  seqScans: string[];
  sharedHit: number;
  sharedRead: number;
  text: string;
  error?: string;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

const nodeName = (n: PlanNode) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`;

class Rollback extends Error {}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * EXPLAIN (ANALYZE, BUFFERS) of each distinct statement a request sent, with the values it sent,
 * inside a transaction that is rolled back, so writes leave nothing behind.
 */
export async function explainStatements(sql: postgres.Sql, statements: CapturedStatement[]): Promise<ExplainedStatement[]> {
  const seen = new Set<string>();
  const out: ExplainedStatement[] = [];
  for (const s of statements) {
    if (seen.has(s.sql)) continue;
    seen.add(s.sql);
    const statement = describeStatement(s.sql);
    // An insert's first value is the new row's id, already taken by the captured request: use a fresh one.
    const fresh = /^insert into/i.test(s.sql) && UUID.test(String(s.params[0])) ? [uuidv7(), ...s.params.slice(1)] : s.params;
    const params = fresh as postgres.ParameterOrJSON<never>[];
    // A rolled-back outbox insert still takes a seq, and a gap in seq holds the webhook fan-out's
    // cursor for a minute: plan those without running them.
    const analyze = /^insert into "outbox_events"/i.test(s.sql) ? 'false' : 'true';
    try {
      let json: { Plan: PlanNode; 'Planning Time': number; 'Execution Time': number } | undefined;
      let text = '';
      await sql
        .begin(async (tx) => {
          const [row] = await tx.unsafe(`explain (analyze ${analyze}, buffers ${analyze}, format json) ${s.sql}`, params);
          json = (row!['QUERY PLAN'] as (typeof json)[])[0];
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      await sql
        .begin(async (tx) => {
          const rows = await tx.unsafe(`explain (analyze ${analyze}, buffers ${analyze}, costs off) ${s.sql}`, params);
          text = rows.map((r) => r['QUERY PLAN'] as string).join('\n');
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      const nodes = walk(json!.Plan);
      out.push({
        statement,
        planningMs: json!['Planning Time'] ?? NaN,
        executionMs: json!['Execution Time'] ?? NaN,
        nodes: nodes.map(nodeName),
        seqScans: nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?'),
        sharedHit: json!.Plan['Shared Hit Blocks'] ?? 0,
        sharedRead: json!.Plan['Shared Read Blocks'] ?? 0,
        text,
      });
    } catch (error) {
      out.push({ statement, planningMs: NaN, executionMs: NaN, nodes: [], seqScans: [], sharedHit: 0, sharedRead: 0, text: '', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}
