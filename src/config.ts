import { isIP } from 'node:net';
import { z } from 'zod';

const DEVELOPMENT_JWT_SECRET = 'tandem-development-secret-do-not-use-in-production';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'on', 'off'])
  .transform((value) => value === 'true' || value === '1' || value === 'on');

/** A duration in seconds: `90`, `90s`, `15m`, `24h` or `7d`. */
const duration = z
  .string()
  .regex(/^\d+[smhd]?$/, 'must be a duration such as 60, 60s, 15m, 24h or 7d')
  .transform((value) => {
    const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[value.at(-1) as 's'] ?? 1;
    return Number.parseInt(value, 10) * unit;
  });

/** proxy-addr's names for address ranges, allowed beside addresses and CIDR blocks. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isAddressOrBlock = (entry: string) => {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};

/**
 * TRUST_PROXY, fastify's trustProxy: `true` (trust every proxy), `false`, a hop count, or a
 * comma-separated list of the proxies' addresses and CIDR blocks.
 */
const trustProxy = z.string().transform((value, ctx): boolean | number | string[] => {
  const text = value.trim();
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrBlock(entry));
  if (bad.length) {
    const shown = bad.map((entry) => (entry ? JSON.stringify(entry) : 'an empty entry')).join(', ');
    ctx.addIssue({ code: 'custom', message: `must be true, false, a hop count, or addresses and CIDR blocks separated by commas (not ${shown})` });
    return z.NEVER;
  }
  return entries;
});

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_CONNECT_TIMEOUT: duration.default(5),
    DATABASE_STATEMENT_TIMEOUT: duration.default(10),
    DATABASE_QUERY_TIMEOUT: duration.default(15),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: duration.default(30),
    DATABASE_START_TIMEOUT: duration.default(60),
    REQUEST_TIMEOUT: duration.default(30),
    READY_TIMEOUT: duration.pipe(z.number().min(1, 'must be at least 1s')).default(2),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' }).optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    IDP_JWKS_URL: z.url({ message: 'must be the URL of your identity provider JWKS (https://…/jwks.json)' }).optional(),
    IDP_ISSUER: z.string().min(1).optional(),
    IDP_AUDIENCE: z.string().min(1).optional(),
    IDP_ORG_CLAIM: z.string().min(1).default('org'),
    IDP_ROLES_CLAIM: z.string().min(1).default('roles'),
    IDP_SUB_CLAIM: z.string().min(1).default('sub'),
    DEMO_ORG: z.string().min(1).default('demo'),
    CORS_ORIGINS: z
      .string()
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
      .pipe(z.array(z.url({ message: 'must be a comma-separated list of origins such as https://app.example.com' })))
      .default([]),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    RATE_LIMIT_STORE: z.enum(['memory', 'database']).optional(),
    TRUST_PROXY: trustProxy.default(false),
    TOKEN_MAX_LIFETIME: duration.default(24 * 3600),
    TOKEN_CLOCK_SKEW: duration.default(60),
    GRAPHQL_INTROSPECTION: booleanFlag.optional(),
    GRAPHQL_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
    WEBHOOKS_DISPATCH: booleanFlag.default(true),
    JOBS_RUN: booleanFlag.default(true),
    MATCHING_SOLVE_TIMEOUT: duration.pipe(z.number().min(1, 'must be at least 1s')).default(120),
    WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag.default(false),
    METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (the bearer token Prometheus sends to /metrics)').optional(),
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    // The driver's backstop must leave the server's own limit time to fire (and be answered as a canceled statement).
    if (env.DATABASE_QUERY_TIMEOUT && env.DATABASE_STATEMENT_TIMEOUT && env.DATABASE_QUERY_TIMEOUT < env.DATABASE_STATEMENT_TIMEOUT) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_QUERY_TIMEOUT'], message: `must be at least DATABASE_STATEMENT_TIMEOUT (${env.DATABASE_STATEMENT_TIMEOUT}s), or 0` });
    }
    if (env.METRICS_PORT && !env.METRICS_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'needs METRICS_TOKEN (the worker serves /metrics to a bearer of it)' });
    }
    const idp = [env.IDP_JWKS_URL, env.IDP_ISSUER, env.IDP_AUDIENCE];
    if (idp.some(Boolean) && !idp.every(Boolean)) {
      for (const [name, value] of [['IDP_JWKS_URL', env.IDP_JWKS_URL], ['IDP_ISSUER', env.IDP_ISSUER], ['IDP_AUDIENCE', env.IDP_AUDIENCE]] as const) {
        if (!value) ctx.addIssue({ code: 'custom', path: [name], message: 'is required with the other IDP_ variables (JWKS URL, issuer and audience go together)' });
      }
    }
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET && !env.JWT_PUBLIC_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required when NODE_ENV=production (or set JWT_PUBLIC_KEY); the development secret is refused',
      });
    }
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is the development secret; choose a real one' });
    }
  });

export type Env = z.output<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  /**
   * Seconds (0 = no limit). On PostgreSQL: `connect` to open a connection, `statement` the server's
   * statement_timeout, `query` the driver's backstop for a query waiting and running (a silent network),
   * `idleInTransaction` the server's idle_in_transaction_session_timeout; `start` how long start-up
   * retries an unreachable database before exiting. Embedded PGlite has no network and takes none.
   */
  databaseTimeouts: { connect: number; statement: number; query: number; idleInTransaction: number; start: number };
  /** Seconds a request may take before it is answered 503 (`request`), and /ready's own limit (`ready`). */
  timeouts: { request: number; ready: number };
  jwt: { secret: string; publicKey?: string; issuer?: string; usingDevelopmentSecret: boolean };
  /** An external identity provider whose RS256/ES256 tokens are accepted, verified through its JWKS. */
  idp?: { jwksUrl: string; issuer: string; audience: string; claims: { org: string; roles: string; sub: string } };
  demoOrg: string;
  corsOrigins: string[];
  /**
   * Where limits count: `database` (shared by every instance: the default on PostgreSQL) or
   * `memory` (this process only: the default on PGlite, which is one process anyway).
   */
  rateLimitStore: 'memory' | 'database';
  rateLimit: { perToken: number; perIp: number };
  /** fastify's trustProxy: which X-Forwarded-For hops to believe for the client's address. */
  trustProxy: boolean | number | string[];
  /** Token policy, in seconds: the longest lifetime (exp − iat) accepted, and the clock skew allowed. */
  tokens: { maxLifetime: number; clockSkew: number };
  /** connectionInitTimeoutMs: a GraphQL WebSocket without connection_init this long is closed (4408). */
  graphql: { introspection: boolean; connectionInitTimeoutMs: number };
  webhooks: { dispatch: boolean; allowPrivateUrls: boolean };
  /** /metrics answers only a bearer of this token; without it, /metrics is not served. */
  metrics: { token?: string; port?: number };
  /** OpenTelemetry traces (observability/tracing.ts): on when an OTLP endpoint is configured; the SDK reads the OTEL_* variables. */
  tracing: { enabled: boolean };
  /** Whether this instance runs the scheduler (src/jobs/): quiet pairs, expired invitations, reminders, programme end. */
  jobs: { run: boolean };
  /** Seconds HiGHS may take for one matching run's assignment (in its worker thread) before the run fails. */
  matching: { solveTimeout: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; every problem names its variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=` in an env file) means "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR },
    databaseTimeouts: {
      connect: env.DATABASE_CONNECT_TIMEOUT,
      statement: env.DATABASE_STATEMENT_TIMEOUT,
      query: env.DATABASE_QUERY_TIMEOUT,
      idleInTransaction: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT,
      start: env.DATABASE_START_TIMEOUT,
    },
    timeouts: { request: env.REQUEST_TIMEOUT, ready: env.READY_TIMEOUT },
    jwt: {
      secret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      ...(env.JWT_PUBLIC_KEY ? { publicKey: env.JWT_PUBLIC_KEY } : {}),
      ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
      usingDevelopmentSecret: !env.JWT_SECRET,
    },
    ...(env.IDP_JWKS_URL && env.IDP_ISSUER && env.IDP_AUDIENCE
      ? {
          idp: {
            jwksUrl: env.IDP_JWKS_URL,
            issuer: env.IDP_ISSUER,
            audience: env.IDP_AUDIENCE,
            claims: { org: env.IDP_ORG_CLAIM, roles: env.IDP_ROLES_CLAIM, sub: env.IDP_SUB_CLAIM },
          },
        }
      : {}),
    demoOrg: env.DEMO_ORG,
    corsOrigins: env.CORS_ORIGINS,
    rateLimit: { perToken: env.RATE_LIMIT_PER_MINUTE, perIp: env.RATE_LIMIT_IP_PER_MINUTE },
    rateLimitStore: env.RATE_LIMIT_STORE ?? (env.DATABASE_URL ? 'database' : 'memory'),
    trustProxy: env.TRUST_PROXY,
    tokens: { maxLifetime: env.TOKEN_MAX_LIFETIME, clockSkew: env.TOKEN_CLOCK_SKEW },
    graphql: { introspection: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production', connectionInitTimeoutMs: env.GRAPHQL_CONNECTION_INIT_TIMEOUT_MS },
    webhooks: { dispatch: env.WEBHOOKS_DISPATCH, allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS },
    metrics: { ...(env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {}), ...(env.METRICS_PORT ? { port: env.METRICS_PORT } : {}) },
    tracing: { enabled: Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) },
    jobs: { run: env.JOBS_RUN },
    matching: { solveTimeout: env.MATCHING_SOLVE_TIMEOUT },
  };
}
