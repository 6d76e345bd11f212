// @ts-check
/**
 * The layers of Tandem and what each may import: the one table behind the layering rule of
 * eslint.config.js (`no-restricted-imports`, one block per layer) and behind the table in
 * docs/architecture.md (`npm run docs:architecture`). Change a rule here and both follow;
 * test/architecture/layers.test.ts proves that every layer's rule bites and that every file of
 * src/ belongs to exactly one layer.
 *
 * Plain JavaScript, because ESLint reads it before any TypeScript runs.
 */

/**
 * @typedef {object} Layer
 * @property {string} name
 * @property {string[]} paths folders (or single files) under src/, relative to the project root
 * @property {string[]} mayImport the other layers this one may import; anything else in src/ is refused
 * @property {(keyof typeof PACKAGE_GROUPS)[]} [refusedPackages] groups of npm packages this layer may not import
 * @property {string} job what lives there, for the table in docs/architecture.md
 */

/** Packages by what they reach, so the table can name a group rather than list them. */
export const PACKAGE_GROUPS = {
  database: ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*'],
  'database drivers': ['postgres', '@electric-sql/*'],
  'HTTP and GraphQL': ['fastify', 'fastify-*', '@fastify/*', 'mercurius', 'mercurius-*', 'graphql', 'graphql/*'],
};
const TRANSPORT = ['shared', 'config', 'domain', 'auth', 'delivery'];

/** @type {Layer[]} */
export const LAYERS = [
  {
    name: 'shared',
    paths: ['src/vocabulary.ts', 'src/root.ts'],
    mayImport: [],
    job: 'every enumerated value, written once; where the project root is',
  },
  { name: 'config', paths: ['src/config.ts'], mayImport: ['shared'], job: 'the environment, parsed once with zod and passed in' },
  {
    name: 'db',
    paths: ['src/db'],
    mayImport: ['shared'],
    refusedPackages: ['HTTP and GraphQL'],
    job: 'drizzle schema, the one driver module (PGlite or postgres.js), compiled statements, the event feed',
  },
  {
    name: 'solver',
    paths: ['src/solver'],
    mayImport: ['shared'],
    refusedPackages: ['database', 'HTTP and GraphQL'],
    job: 'the HiGHS adapter: a model in, an assignment out; knows no tables (next wave)',
  },
  {
    name: 'domain',
    paths: ['src/domain'],
    mayImport: ['shared', 'db', 'solver'],
    refusedPackages: ['database drivers', 'HTTP and GraphQL'],
    job: 'every rule: one use case per file and transaction, permissions, the error table; progress/, sessions/, matching/ grow here',
  },
  {
    name: 'jobs',
    paths: ['src/jobs'],
    mayImport: ['shared', 'config', 'db', 'domain'],
    refusedPackages: ['database drivers', 'HTTP and GraphQL'],
    job: 'the scheduler: a jobs table claimed with SKIP LOCKED; each job kind is a domain use case of domain/nudges/',
  },
  {
    name: 'delivery',
    paths: ['src/webhooks', 'src/delivery'],
    mayImport: ['shared', 'config', 'db', 'domain'],
    refusedPackages: ['database drivers', 'HTTP and GraphQL'],
    job: 'the outbox consumer (claim, retry, attempt log) and its channels: webhooks/ today, then delivery/ with webhooks/ and xapi/ channels',
  },
  {
    name: 'auth',
    paths: ['src/auth'],
    mayImport: ['shared', 'config', 'domain'],
    refusedPackages: ['database'],
    job: 'who is calling: bearer tokens, client credentials, identity providers',
  },
  { name: 'rest', paths: ['src/rest'], mayImport: TRANSPORT, refusedPackages: ['database'], job: 'the REST transport (/v1): routes, problems, idempotency, OpenAPI' },
  { name: 'graphql', paths: ['src/graphql'], mayImport: TRANSPORT, refusedPackages: ['database'], job: 'the GraphQL transport: resolvers, batched loaders, the request memo, subscriptions' },
  { name: 'scim', paths: ['src/scim'], mayImport: TRANSPORT, refusedPackages: ['database'], job: 'SCIM 2.0 for identity providers (/scim/v2), a transport over domain/people' },
  { name: 'calendar', paths: ['src/calendar'], mayImport: TRANSPORT, refusedPackages: ['database'], job: 'iCalendar feeds, a transport over domain/sessions (next wave)' },
  {
    name: 'observability',
    paths: ['src/observability'],
    mayImport: ['shared', 'config'],
    refusedPackages: ['database'],
    job: 'metrics, traces and log redaction (for the server and the worker), wired once in app.ts',
  },
  {
    name: 'wiring',
    paths: ['src/app.ts', 'src/server.ts', 'src/start-banner.ts'],
    mayImport: ['shared', 'config', 'db', 'solver', 'domain', 'jobs', 'delivery', 'auth', 'rest', 'graphql', 'scim', 'calendar', 'observability'],
    job: 'buildApp(deps) registers everything in order; server.ts starts and stops it',
  },
];

/** Outside src/: they may import any layer, and no layer may import them. */
export const CONSUMERS = ['scripts', 'bench', 'test', 'clients', 'examples'];

/** How deep below its layer's folder a file may sit and still be under the rule (layers.test.ts checks the tree). */
export const MAX_DEPTH = 6;

const escape = (/** @type {string} */ text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The import text that reaches `target` (a path under src/) from a file `depth` folders below src/:
 * `../../db/…` from src/domain/goals/x.ts. Relative imports are the only way between layers, so
 * this matches exactly the imports that land in the target and nothing inside the importing layer.
 */
function reaching(/** @type {string} */ target, /** @type {number} */ depth) {
  const up = depth === 0 ? '\\./' : '(?:\\.\\./)'.repeat(depth);
  const inSrc = target.replace(/^src\//, '');
  return inSrc.endsWith('.ts') ? `^${up}${escape(inSrc.slice(0, -3))}(?:\\.[cm]?[jt]s)?$` : `^${up}${escape(inSrc)}(?:/|$)`;
}

/** @param {Layer} layer @param {number} depth */
function restrictions(layer, depth) {
  const refused = LAYERS.filter((other) => other !== layer && !layer.mayImport.includes(other.name));
  const why = 'see the layer table in layers.js and docs/architecture.md';
  return [
    ...refused.map((other) => ({
      regex: other.paths.map((path) => reaching(path, depth)).join('|'),
      message: `The ${layer.name} layer may not import the ${other.name} layer (${other.paths.join(', ')}): ${why}.`,
    })),
    {
      regex: `^${'(?:\\.\\./)'.repeat(depth + 1)}(?:${CONSUMERS.join('|')})(?:/|$)`,
      message: `Nothing in src/ imports ${CONSUMERS.join(', ')}: ${why}.`,
    },
    ...(layer.refusedPackages ?? []).map((group) => ({
      group: PACKAGE_GROUPS[group],
      message: `The ${layer.name} layer may not import ${group} packages (${PACKAGE_GROUPS[group].join(', ')}): ${why}.`,
    })),
  ];
}

/**
 * ESLint flat-config blocks: for every layer path and every depth of file below it, one
 * `no-restricted-imports` rule refusing each layer it may not import, and its refused packages.
 */
export function layerRules() {
  return LAYERS.flatMap((layer) =>
    layer.paths.flatMap((path) => {
      const depths = path.endsWith('.ts') ? [0] : Array.from({ length: MAX_DEPTH }, (_, i) => i + 1);
      return depths.map((depth) => ({
        files: [depth === 0 ? path : `${path}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns: restrictions(layer, depth) }] },
      }));
    }),
  );
}

/** The rule table as Markdown, for docs/architecture.md. */
export function layerTable() {
  const code = (/** @type {string} */ text) => `\`${text}\``;
  const rows = LAYERS.map((layer) =>
    [
      `**${layer.name}**`,
      layer.paths.map((path) => code(path.endsWith('.ts') ? path : `${path}/`)).join(', '),
      layer.mayImport.length ? layer.mayImport.join(', ') : '—',
      layer.refusedPackages?.length ? layer.refusedPackages.join(', ') : '—',
      layer.job,
    ].join(' | '),
  );
  return [
    '| layer | where | may import | may not import (packages) | what lives there |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
    `| consumers | ${CONSUMERS.map((folder) => code(`${folder}/`)).join(', ')} | any layer | — | scripts, benchmarks, tests, the typed client, examples: nothing in \`src/\` imports them |`,
    '',
    ...Object.entries(PACKAGE_GROUPS).map(([group, packages]) => `- ${group}: ${packages.map(code).join(', ')}`),
  ].join('\n');
}
