import type { ExplainedStatement } from '../explain.ts';
import type { Measurement } from '../measure/result.ts';
import type { WaitProfile } from '../measure/wait-sampler.ts';
import type { CpuSummary } from './cpu-summary.ts';
import { describeStatement } from '../measure/statement-check.ts';
import type { ScenarioResult } from '../run-scenario.ts';
import type { SeedReport } from '../seed.ts';
import type { ModeResult, ScimProvisioningResult } from '../scim/provisioning.ts';
import type { FanOutResult } from '../webhooks/fan-out.ts';
import { dbRatio, fmt, fmtSpread, roundsSummary, scaleRatios, sizeLabel, spread, type TargetRow } from './targets.ts';
import type { FirstStartRound } from '../start/first-start.ts';
import type { RunReport } from './types.ts';

const MB = 1048576;
export const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const cells = (m: Measurement | undefined) =>
  m ? [fmt(m.rps, m.rps < 10 ? 1 : 0), fmt(m.p50), fmt(m.p99), String(m.errors), m.peakRss ? fmt(m.peakRss / MB, 0) : ''] : ['', '', '', '', ''];

export function targetsTable(rows: TargetRow[]): string {
  return table(['target', 'measured', 'status'], rows.map((r) => [r.target, r.measured, r.status === 'missed' ? '**missed**' : r.status]));
}

/** One scenario at every size: its three or four runs and the app's ratios to the ceilings. */
export function scenarioSection(results: ScenarioResult[]): string {
  const first = results[0]!;
  const rows: string[][] = [];
  for (const r of results) {
    const size = sizeLabel(r.size);
    if (r.skipped || r.error) {
      rows.push([size, r.skipped ? `skipped: ${r.skipped}` : `failed: ${r.error}`, '', '', '', '', '', '', '']);
      continue;
    }
    const vsFramework = r.app && r.framework ? fmt(r.app.rps / r.framework.rps) : '';
    const vsUnprepared = r.app && r.dbUnprepared ? fmt(r.app.rps / r.dbUnprepared.rps) : '';
    rows.push([size, 'framework ceiling', ...cells(r.framework), '', '']);
    rows.push([size, 'database ceiling (prepared)', ...cells(r.dbPrepared), '', '']);
    if (r.dbUnprepared) rows.push([size, 'database ceiling (unprepared, as drizzle sends)', ...cells(r.dbUnprepared), '', '']);
    rows.push([size, '**app**', ...cells(r.app), vsFramework, `${fmt(dbRatio(r))}${vsUnprepared ? ` (${vsUnprepared} of unprepared)` : ''}`]);
    if (r.appAtRate) rows.push([size, `app at a fixed ${r.appAtRate.rate} req/s (latency without queueing)`, ...cells(r.appAtRate), '', '']);
  }
  const withStatements = results.find((r) => r.statements);
  const statements = withStatements?.statements;
  const counts = [...new Set(withStatements?.statementCounts ?? [statements?.app.length ?? 0])].join(' or ');
  const notes = statements
    ? `${counts} statements per request; the database ceiling's SQL is ${statements.identical ? 'identical to the app’s' : `**not** identical to the app’s (only in app: ${statements.onlyInApp.map(describeStatement).join('; ') || 'none'}; only in ceiling: ${statements.onlyInCeiling.map(describeStatement).join('; ') || 'none'})`}.`
    : '';
  const target = first.target ? ` Target: ≥ ${first.target} of the database ceiling.` : '';
  const runNotes = results.flatMap((r) =>
    (['framework', 'dbPrepared', 'dbUnprepared', 'app'] as const).flatMap((run) => (r[run]?.note ? [` ${sizeLabel(r.size)} ${run}: ${r[run]!.note}.`] : [])),
  );
  const load = results
    .filter((r) => r.load)
    .map((r) => `${sizeLabel(r.size)} ${r.load!.map((n) => n.toFixed(1)).join(' → ')}`)
    .join(', ');
  const profiles = results.filter((r) => r.cpu).map((r) => cpuSection(r));
  const waits = results
    .filter((r) => r.waits?.states.length)
    .map((r) => `${sizeLabel(r.size)}: ${waitLine(r.waits!)}`)
    .join('; ');
  return [
    `### ${first.title}`,
    '',
    table(['size', 'run', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'peak RSS MB', 'app / framework', 'app / database'], rows),
    '',
    ...roundsTable(results),
    `${notes}${target}${runNotes.join('')}${load ? ` Load average (1 min) before → after: ${load}.` : ''}`,
    ...(waits ? ['', `The app's busy database connections during the app run (pg_stat_activity samples): ${waits}.`] : []),
    ...profiles,
  ].join('\n');
}

/** Issue 18: each interleaved round of a scenario, CPU per request and the combined ceiling. */
function roundsTable(results: ScenarioResult[]): string[] {
  const rows = results.flatMap((r) =>
    (r.rounds ?? []).map((x, i) => [
      sizeLabel(r.size),
      String(i + 1),
      fmt(x.framework.rps, 0),
      fmt(x.framework.cpuPerRequest, 3),
      fmt(x.db.rps, 0),
      fmt(x.combined, 0),
      fmt(x.app.rps, 0),
      fmt(x.app.cpuPerRequest, 3),
      fmt(x.app.rps / x.combined),
      fmt(x.app.rps / x.db.rps),
    ]),
  );
  if (rows.length === 0) return [];
  return [
    'The rounds (framework ceiling, database ceiling, app, one after another; the rows above are the median round by app / combined):',
    '',
    table(['size', 'round', 'framework req/s', 'framework CPU ms/req', 'database req/s', 'combined ceiling req/s', 'app req/s', 'app CPU ms/req', 'app / combined', 'app / database'], rows),
    '',
  ];
}

export const COMBINED_SECTION = '## CPU per request and the combined ceiling (issue 18)';

/** Issue 18: every scenario's medians and spreads over its interleaved rounds. */
export function combinedSection(report: RunReport): string {
  const rows = report.sizes.flatMap((size) =>
    size.scenarios.flatMap((r) => {
      const s = roundsSummary(r);
      if (!s) return [];
      return [[r.title, sizeLabel(r.size), fmtSpread(s.appCpu, 3), fmtSpread(s.frameworkCpu, 3), fmt(s.appCpu.median / s.frameworkCpu.median, 1), fmtSpread(s.combined, 0), fmtSpread(s.app, 0), fmtSpread(s.vsCombined), r.combinedTarget ? String(r.combinedTarget) : '', fmtSpread(s.vsDatabase)]];
    }),
  );
  if (rows.length === 0) return 'No scenario ran its rounds.';
  return [
    'Each scenario runs the framework ceiling, the database ceiling (prepared) and the app one after another, three times; each figure is the median of the three with the lowest and highest in brackets. CPU per request is the serving process’s `process.cpuUsage()` (user + system) over the measured run, divided by its successful answers. The combined ceiling, 1 / (1/framework + 1/database), is the throughput of a do-nothing server that only runs the endpoint’s statements when the load generator, the server and PostgreSQL share the cores; it is computed per round from that round’s two ceilings.',
    '',
    table(['scenario', 'size', 'app CPU ms/req', 'framework CPU ms/req', 'app CPU ÷ framework', 'combined ceiling req/s', 'app req/s', 'app / combined', 'target', 'app / database'], rows),
  ].join('\n');
}

export const waitLine = (w: WaitProfile) =>
  w.states
    .slice(0, 5)
    .map((s) => `${s.state} ${(s.share * 100).toFixed(0)} %`)
    .join(', ');

function cpuSection(r: ScenarioResult): string {
  return cpuTable(r.cpu!, `CPU profile of the app at ${sizeLabel(r.size)} (${r.profile?.replace(/^.*\/bench\//, 'bench/')})`);
}

function cpuTable(cpu: CpuSummary, caption: string): string {
  const share = (n: number) => `${(n * 100).toFixed(1)} %`;
  return [
    '',
    `${caption}, self time of ${fmt(cpu.totalMs / 1000, 1)} s sampled:`,
    '',
    table(['package', 'self', 'function', 'self'], Array.from({ length: Math.max(cpu.byPackage.length, cpu.byFunction.length) }, (_, i) => {
      const p = cpu.byPackage[i];
      const f = cpu.byFunction[i];
      return [p?.name ?? '', p ? share(p.share) : '', f ? `\`${f.name.replace(/\|/g, '\\|')}\`` : '', f ? share(f.share) : ''];
    })),
  ].join('\n');
}

export function scaleSection(report: RunReport): string {
  const ratios = scaleRatios(report);
  if (ratios.length === 0) return 'Only one size was measured in this run; the 10k vs 1M ratio needs both (`--sizes 10000,1000000`).';
  return table(
    ['scenario', 'load', `p50 ${sizeLabel(ratios[0]!.sizes[0])}`, `p50 ${sizeLabel(ratios[0]!.sizes[1])}`, 'p50 ratio', `p99 ${sizeLabel(ratios[0]!.sizes[0])}`, `p99 ${sizeLabel(ratios[0]!.sizes[1])}`, 'p99 ratio'],
    ratios.map((r) => [r.title, r.how, fmt(r.small.p50), fmt(r.large.p50), fmt(r.p50), fmt(r.small.p99), fmt(r.large.p99), fmt(r.p99)]),
  );
}

export function fanOutSection(size: number, f: FanOutResult): string {
  return [
    table(
      ['size', 'run', 'events/s', 'deliveries', 'deliveries/s', 'p50 ms', 'p99 ms', 'peak RSS MB'],
      [
        [sizeLabel(size), `steady: events committed at 200/s, ${f.endpoints} endpoints`, fmt(f.steady.rps, 0), `${f.steady.delivered}/${f.steady.expected}`, fmt(f.steady.delivered / f.steady.seconds, 0), fmt(f.steady.p50), fmt(f.steady.p99), fmt(f.peakRss / MB, 0)],
        [sizeLabel(size), `burst: ${f.burst.events} events committed at once`, fmt(f.burst.rps, 0), `${f.burst.delivered}/${f.burst.expected}`, fmt(f.burst.deliveriesPerSecond, 0), fmt(f.burst.p50), fmt(f.burst.p99), ''],
        [sizeLabel(size), 'receiver ceiling (autocannon → receiver)', '', '', fmt(f.receiverCeiling.rps, 0), fmt(f.receiverCeiling.p50), fmt(f.receiverCeiling.p99), ''],
      ],
    ),
    ...(f.rounds?.length
      ? [
          '',
          `The burst and its delivery ceiling (the same ${f.burst.events} bodies to each of the ${f.endpoints} endpoints, signed, from a bare loop with the dispatcher's sender and its 200 sends in flight; bench/child/deliver.ts), round by round:`,
          '',
          table(
            ['round', 'burst deliveries/s', 'delivery ceiling deliveries/s', 'burst ÷ ceiling'],
            f.rounds.map((r, n) => [String(n + 1), fmt(r.burst, 0), fmt(r.ceiling, 0), fmt(r.burst / r.ceiling)]),
          ),
        ]
      : []),
    '',
    `The app's busy database connections (pg_stat_activity samples): steady: ${waitLine(f.waits.steady) || 'none busy'}; burst: ${waitLine(f.waits.burst) || 'none busy'}.`,
    f.cpu ? cpuTable(f.cpu, `CPU profile of the app while it drained the burst (${f.profile?.replace(/^.*\/bench\//, 'bench/')})`) : '',
    f.note ? `\nNote: ${f.note}` : '',
  ].join('\n');
}

export function explainSection(size: number, scenario: string, explained: ExplainedStatement[]): string {
  return [
    `#### ${scenario} at ${sizeLabel(size)}`,
    '',
    table(
      ['statement', 'plan', 'planning ms', 'exec ms', 'buffers hit/read'],
      explained.map((e) => [
        e.statement.replace(/\|/g, '\\|'),
        e.error ? `not explained: ${e.error}` : `${e.nodes.slice(0, 4).join(' → ')}${e.seqScans.length ? ` **(seq scan: ${e.seqScans.join(', ')})**` : ''}`,
        fmt(e.planningMs, 3),
        fmt(e.executionMs, 3),
        `${e.sharedHit}/${e.sharedRead}`,
      ]),
    ),
  ].join('\n');
}

export function seedSection(seed: SeedReport): string {
  const rate = (rows: number, s: number) => Math.round(rows / Math.max(s, 0.001)).toLocaleString('en');
  return [
    `${sizeLabel(seed.relationships)} relationships: ${seed.rows.toLocaleString('en')} rows in ${fmt(seed.seconds, 1)} s (${rate(seed.rows, seed.seconds)} rows/s overall; ` +
      `inserts ${fmt(seed.phases.insert ?? NaN, 1)} s, keys ${fmt(seed.phases.keys ?? NaN, 1)} s, indexes ${fmt(seed.phases.indexes ?? NaN, 1)} s, foreign keys ${fmt(seed.phases.foreignKeys ?? NaN, 1)} s, vacuum analyze ${fmt(seed.phases.vacuum ?? NaN, 1)} s).`,
    '',
    table(['table', 'rows', 'seconds', 'rows/s'], seed.tables.map((t) => [t.table, t.rows.toLocaleString('en'), fmt(t.seconds, 1), rate(t.rows, t.seconds)])),
  ].join('\n');
}

const MODE_TITLES: Record<ModeResult['mode'], string> = {
  batch: 'REST batch upsert: POST /v1/people/batch, 1,000 people a request',
  'scim-create': 'SCIM: POST /scim/v2/Users, one at a time',
  'scim-lookup-create': 'SCIM as Okta and Entra ID send it: GET ?filter=userName eq "…", then POST, one at a time',
};

export const SCIM_SECTION = '## SCIM provisioning against the REST batch (issue 16)';

/** Issue 16: the same people provisioned through SCIM one request at a time and through the REST batch, interleaved in one run. */
export function scimProvisioningSection(size: number, p: ScimProvisioningResult): string {
  const batch = p.modes.find((m) => m.mode === 'batch')!;
  return [
    `${sizeLabel(size)} database; ${fmt(p.people, 0)} fresh people in each mode, interleaved in ${p.rounds} rounds of 1,000 (the order of the modes rotates every round), after a warm-up of 200 each; one keep-alive connection, each request sent when the last is answered. App CPU is process.cpuUsage() of the app child over each round.`,
    '',
    table(
      ['mode', 'people', 'requests', 'seconds', 'people/s', 'rounds: median (min–max) people/s', 'p50 ms', 'p99 ms', 'app CPU ms / person', 'errors', 'batch is × faster'],
      p.modes.map((m) => [
        MODE_TITLES[m.mode],
        fmt(m.people, 0),
        fmt(m.requests, 0),
        fmt(m.seconds, 1),
        fmt(m.peoplePerSecond, 0),
        `${fmt(m.roundMedian, 0)} (${fmt(m.roundMin, 0)}–${fmt(m.roundMax, 0)})`,
        fmt(m.p50),
        fmt(m.p99),
        fmt(p.cpuPerPerson[m.mode] ?? NaN, 3),
        String(m.errors),
        m.mode === 'batch' ? '' : fmt(batch.peoplePerSecond / m.peoplePerSecond, 1),
      ]),
    ),
    ...(p.note ? ['', `Note: ${p.note}`] : []),
  ].join('\n');
}

/** A fresh clone's first `npm start`: each round's wall and CPU time, and where it went. */
export function firstStartSection(firstStart: NonNullable<RunReport['firstStart']>): string {
  const seconds = (ms: number) => fmt(ms / 1000, 2);
  const spreadOf = (pick: (r: FirstStartRound) => number) => fmtSpread(spread(firstStart.rounds.map((r) => pick(r) / 1000)));
  const phaseNames = [...new Set(firstStart.rounds.flatMap((r) => Object.keys(r.phases)))];
  const columns = ['', ...firstStart.rounds.map((_, i) => `round ${i + 1}`), 'median (lowest–highest)'];
  const row = (label: string, pick: (r: FirstStartRound) => number) => [label, ...firstStart.rounds.map((r) => seconds(pick(r))), spreadOf(pick)];
  return [
    `Commit ${firstStart.commit.slice(0, 7)}: each round a new \`git clone\`, \`npm ci --prefer-offline\`, then \`npm start\` with a new data directory, timed from its spawn until GET /ready answers 200 (bench/start/first-start.ts). Seconds; CPU is npm start and every process it ran, from /proc. The server's phases come from its ready log line.`,
    '',
    table(columns, [
      row('**ready after spawn**', (r) => r.ready),
      row('CPU time until ready', (r) => r.cpu),
      row('npm and prestart', (r) => r.ready - r.server),
      ...phaseNames.map((name) => row(`server: ${name}`, (r) => r.phases[name] ?? 0)),
      row('npm ci (before, not counted)', (r) => r.install),
    ]),
  ].join('\n');
}
