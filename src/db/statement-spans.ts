import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { PGlite, Transaction } from '@electric-sql/pglite';

// A span around every statement sent to the database, a child of whatever span is active (the
// request's, the use case's), when tracing is on (openDatabase's `traced`). The text is the
// parameterised SQL drizzle built: values never reach a span. A statement outside any span (the
// in-process dispatcher's and scheduler's polls, the migrations at start-up) gets none: each would
// be a trace of one span, every poll interval, drowning the requests' traces.
const tracer = trace.getTracer('tandem-db');

/** `SELECT`, `INSERT`, `WITH`…: the span's name, bounded whatever the statement. */
const operation = (text: string) => /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';

export function startStatementSpan(text: string): Span | undefined {
  if (!trace.getActiveSpan()) return undefined;
  return tracer.startSpan(operation(text), {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': 'postgresql', 'db.query.text': text.length > 2048 ? `${text.slice(0, 2048)}…` : text },
  });
}

export function endStatementSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

async function spanned<T>(text: string, run: () => Promise<T>): Promise<T> {
  const span = startStatementSpan(text);
  if (!span) return run();
  try {
    const result = await run();
    endStatementSpan(span);
    return result;
  } catch (error) {
    endStatementSpan(span, error);
    throw error;
  }
}

/** PGlite (and each of its transactions) with a span around `query` and `exec`, as drizzle calls them. */
export function tracedPglite<T extends PGlite | Transaction>(client: T): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === 'query' || key === 'exec') {
        const method = value as (text: string, ...rest: unknown[]) => Promise<unknown>;
        return (text: string, ...rest: unknown[]) => spanned(text, () => method.call(target, text, ...rest));
      }
      if (key === 'transaction') {
        const method = value as (work: (tx: Transaction) => Promise<unknown>) => Promise<unknown>;
        return (work: (tx: Transaction) => Promise<unknown>) => method.call(target, (tx) => work(tracedPglite(tx)));
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
