import type { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { redactRequestUrl, scrubText } from './log-redaction.ts';

/**
 * OpenTelemetry traces, started only when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT; the SDK reads the OTEL_* variables for the exporter itself).
 * Three kinds of span: a request (`@fastify/otel`, registered first in app.ts), a use case (the
 * `around` hook of domain/bind-use-cases.ts) and each database statement (db/statement-spans.ts,
 * switched on with openDatabase's `traced`). The active context also goes into each outbox event
 * (`traceparent`), and from there into its webhook deliveries.
 */
export interface Tracing {
  /** The fastify plugin that opens a span per request and makes it the active context. */
  requests: ReturnType<FastifyOtelInstrumentation['plugin']>;
  /** A span around one attempt of a use case (UseCaseHooks.around). */
  around<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Flushes what is buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

const UNTRACED = new Set(['/health', '/ready', '/metrics']);

export async function startTracing(options: { serviceName?: string; spanProcessors?: SpanProcessor[] } = {}): Promise<Tracing> {
  // Loaded only here: the SDK with its exporters took about 0.3 s of every start, traced or not.
  const [{ NodeSDK }, { FastifyOtelInstrumentation }] = await Promise.all([import('@opentelemetry/sdk-node'), import('@fastify/otel')]);
  const sdk = new NodeSDK({
    serviceName: options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? 'tandem',
    // Tests hand in their own processor (an in-memory exporter); otherwise the OTLP exporter of the environment.
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    instrumentations: [],
  });
  sdk.start();
  const instrumentation = new FastifyOtelInstrumentation({
    // Probes and scrapes every few seconds would drown the traces that matter.
    ignorePaths: ({ url }) => UNTRACED.has(url),
    // One span per request, not one per hook (edge headers, token, rate limits…) on every request.
    instrumentHooks: false,
    // Spans keep secrets as log lines do: no feed secret, externalId or query value in url.path.
    requestHook: (span, request) => span.setAttribute('url.path', redactRequestUrl(request) ?? ''),
  });
  const tracer = trace.getTracer('tandem');
  return {
    requests: instrumentation.plugin(),
    around: (name, work) =>
      tracer.startActiveSpan(`useCase ${name}`, async (span) => {
        try {
          return await work();
        } catch (error) {
          // Without statement parameters: drizzle writes them into the message and the stack.
          const { name, message, stack } = error as Error;
          span.recordException({ name, message: scrubText(String(message)), ...(stack ? { stack: scrubText(stack) } : {}) });
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      }),
    shutdown: async () => {
      instrumentation.disable();
      await sdk.shutdown();
    },
  };
}
