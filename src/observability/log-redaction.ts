/**
 * Logs keep secrets: the one place that decides what a log line may carry, for the server's logger
 * (app.ts) and the worker's (scripts/worker.ts). Never logged: calendar feed secrets (the URL is
 * the key), externalIds in paths (HR ids name a person), query string values (SCIM filters carry
 * the email they search for, GraphQL GETs their variables), tokens and credentials, and SQL
 * statement parameters (drizzle's "params:" line, postgres.js' `parameters`, PGlite's `params`),
 * nor the values PostgreSQL quotes back in a constraint's `detail` or a data exception's message.
 */

import type { FastifyServerOptions } from 'fastify';

/** The options object fastify's `logger` takes (FastifyLoggerOptions with pino's own). */
type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

export const REDACTED = '[redacted]';

/** Query parameters whose values are paging and shape controls, never a person's data. */
const KEPT_QUERY = new Set(['limit', 'startIndex', 'count', 'format', 'sortOrder', 'attributes', 'excludedAttributes', 'operationName']);

/** Path segments that are keys or name a person: the segment after each prefix is replaced. */
const SECRET_SEGMENTS = [/(\/calendar\/)[^/?#]+/g, /(\/people\/external\/)[^/?#]+/g];
/** In a path no route matched, a segment with an @ (an email) or as long as a key (a secret, a token). */
const SUSPECT_SEGMENT = /(?<=\/)(?:[^/?#]*(?:@|%40)[^/?#]*|[^/?#]{33,})(?=\/|$)/g;
/** Route parameters logged as they are when they are not ids: a stage model's key, a diagram's file name. */
const PLAIN_PARAMS = new Set(['key', 'file', '*']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A request URL as it may be logged: its path's secret segments and its query values replaced.
 * Given the route that matched (its template and parameters), every parameter that is not an id
 * (or a plain one above) is replaced, so a route added later with a secret in its path is covered.
 */
export function redactUrl(url: string, route?: { template: string; params: Record<string, unknown> }): string {
  const at = url.indexOf('?');
  let safe: string;
  if (route) {
    safe = route.template.replace(/:([A-Za-z0-9_]+)|\*$/g, (whole: string, name: string | undefined) => {
      const value = route.params[name ?? '*'];
      return typeof value === 'string' && (UUID.test(value) || PLAIN_PARAMS.has(name ?? '*')) ? value : REDACTED;
    });
  } else {
    safe = at === -1 ? url : url.slice(0, at);
    for (const pattern of SECRET_SEGMENTS) safe = safe.replace(pattern, `$1${REDACTED}`);
    safe = safe.replace(SUSPECT_SEGMENT, REDACTED);
  }
  if (at === -1) return safe;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = pair.slice(0, eq);
      return KEPT_QUERY.has(name) ? pair : `${name}=${REDACTED}`;
    })
    .join('&');
  return `${safe}?${query}`;
}

/** Drizzle writes a failed statement's parameters into its error's message (and so its stack). */
const PARAMS_LINE = /\nparams: [\s\S]*?(?=\n\s+at |$)/g;
/** Keys of database errors that carry statement parameters or the values of a row. */
const DROPPED_KEYS = new Set(['params', 'parameters', 'args', 'types', 'queryOptions', 'detail', 'where']);

/** Free text as it may be logged: no statement parameters, no fastify "Route GET:/… not found" secrets. */
export function scrubText(text: string): string {
  return text.replace(PARAMS_LINE, `\nparams: ${REDACTED}`).replace(/^(Route [A-Z]+:)(\S+)( not found)$/, (_, head: string, url: string, tail: string) => head + redactUrl(url) + tail);
}

// SQLSTATE class 22 (data exception) quotes the offending value: invalid input syntax for type uuid: "HR-42".
const isDataException = (error: Record<string, unknown>) => typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code);
const unquote = (text: string) => text.replace(/"[^"]*"/g, `"${REDACTED}"`);

/**
 * An error as it may be logged, for pino's `err` serializer and the worker: type, message, stack,
 * code and the other fields of the error and of its causes, without statement parameters or row
 * values. Never throws.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (typeof error === 'string') return scrubText(error);
  if (typeof error !== 'object' || error === null) return error;
  if (depth > 5) return '[cause chain cut]';
  const source = error as Record<string, unknown>;
  const dataException = isDataException(source);
  const text = (value: unknown) => (dataException ? unquote(scrubText(String(value))) : scrubText(String(value)));
  const out: Record<string, unknown> = { type: (error as { constructor?: { name?: string } }).constructor?.name ?? 'Object' };
  if ('message' in source) out.message = text(source.message);
  if (typeof source.stack === 'string') out.stack = text(source.stack);
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED_KEYS.has(key) || key === 'cause' || key === 'errors' || key in out) continue;
    out[key] = value instanceof Error ? serializeError(value, depth + 1) : typeof value === 'string' ? text(value) : value;
  }
  if (source.cause !== undefined) out.cause = serializeError(source.cause, depth + 1);
  if (Array.isArray(source.errors)) out.errors = source.errors.map((inner) => serializeError(inner, depth + 1));
  return out;
}

export interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
  routeOptions?: { url?: string };
  params?: unknown;
}

/** A request's URL as logs and spans may carry it: redacted by the route that matched, if one did. */
export function redactRequestUrl(request: LoggedRequest): string | undefined {
  if (request.url === undefined) return undefined;
  const template = request.routeOptions?.url;
  const params = request.params;
  return redactUrl(request.url, template && typeof params === 'object' && params !== null ? { template, params: params as Record<string, unknown> } : undefined);
}

/** A request in a log line: fastify's own fields, with the URL redacted. */
export function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: redactRequestUrl(request),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Credentials under any of these keys are censored should a line ever carry headers or a body. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'secret',
  'password',
  'clientSecret',
  'client_secret',
  '*.token',
  '*.secret',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
];

/**
 * pino options for every logger Tandem makes: the serializers above, censored credential keys, and
 * a hook that scrubs string messages (an error's message logged as the message).
 */
export function loggerOptions(level: string, stream?: { write(line: string): void }): LoggerOptions {
  return {
    level,
    serializers: { req: serializeRequest, err: (error) => serializeError(error) as { type: string; message: string; stack: string } },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as typeof args);
      },
    },
    ...(stream ? { stream } : {}),
  };
}
