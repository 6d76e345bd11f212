import type { CapturedStatement } from '../child/capture.ts';

export interface StatementCheck {
  /** Statements the app sent for one request. */
  app: CapturedStatement[];
  /** Statement texts the database ceiling sent for one request. */
  ceiling: string[];
  identical: boolean;
  onlyInApp: string[];
  onlyInCeiling: string[];
}

const normal = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Compares, as multisets, the statements of one app request with those of one ceiling iteration. */
export function compareStatements(app: CapturedStatement[], ceiling: string[]): StatementCheck {
  const remaining = new Map<string, number>();
  for (const s of app) remaining.set(normal(s.sql), (remaining.get(normal(s.sql)) ?? 0) + 1);
  const onlyInCeiling: string[] = [];
  for (const text of ceiling.map(normal)) {
    const left = remaining.get(text) ?? 0;
    if (left > 0) remaining.set(text, left - 1);
    else onlyInCeiling.push(text);
  }
  const onlyInApp = [...remaining].flatMap(([text, n]) => Array.from({ length: n }, () => text));
  return { app, ceiling, identical: onlyInApp.length === 0 && onlyInCeiling.length === 0, onlyInApp, onlyInCeiling };
}

/** A statement in a few words: verb, table and condition, without quotes and table prefixes. */
export function describeStatement(text: string): string {
  const t = normal(text).replace(/"(\w+)"\./g, '').replace(/"/g, '');
  const verb = /^(select distinct|select|insert into|update|delete from)/i.exec(t)?.[1] ?? t.split(' ')[0] ?? '';
  const table = /\b(?:from|into|update)\s+(\w+)/i.exec(t)?.[1] ?? '';
  const where = /\bwhere (.*?)(?: returning .*| order by .*| group by .*| limit .*| for update)?$/i.exec(t)?.[1] ?? '';
  const tail = [/\bgroup by\b/i.test(t) ? 'group by' : '', /\border by (\w+)/i.exec(t)?.[0] ?? '', /\blimit\b/i.test(t) ? 'limit' : '', /for update/i.test(t) ? 'for update' : '', /\breturning\b/i.test(t) ? 'returning' : ''];
  const head = verb.toLowerCase().startsWith('select') && /pg_notify/.test(t) ? 'select pg_notify' : `${verb.toLowerCase()} ${table}`;
  const condition = where.replace(/\s+/g, ' ').slice(0, 80);
  return [head, condition && `where ${condition}`, ...tail.filter(Boolean)].filter(Boolean).join(' ');
}
