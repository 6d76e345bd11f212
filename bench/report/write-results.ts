import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { COMBINED_SECTION, SCIM_SECTION, combinedSection, explainSection, fanOutSection, firstStartSection, scaleSection, scenarioSection, scimProvisioningSection, seedSection, table, targetsTable } from './markdown.ts';
import { SCIM_PROVISIONING } from '../scenarios/index.ts';
import { evaluateTargets, sizeLabel } from './targets.ts';
import type { RunReport } from './types.ts';
import { MATCHING_SECTION, sectionOf, spliceSection } from './sections.ts';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = `${benchDir}results`;

function machineSection(report: RunReport): string {
  const m = report.machine;
  return table(
    ['', ''],
    [
      ['date', m.date],
      ['command', `\`${m.commandLine}\``],
      ['commit', m.commit],
      ['CPUs (nproc)', `${m.cpus} × ${m.cpuModel}`],
      ['memory', `${m.memoryGb} GB`],
      ['load average at start (1, 5, 15 min)', m.loadAverage.join(', ')],
      ['Node', m.node],
      ['PostgreSQL', m.postgres],
      ['PostgreSQL settings', Object.entries(m.postgresSettings).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['load', `${report.options.connections} connections, ${report.options.duration} s per run after a warm-up; app and ceiling pool ${report.options.pool} connections`],
      ['run took', `${Math.round(report.seconds)} s`],
    ],
  );
}

export function renderResults(report: RunReport, archived: string[]): string {
  const names = [...new Set(report.sizes.flatMap((s) => s.scenarios.map((r) => r.name)))];
  const parts = [
    '# Benchmark results',
    '',
    '_Written by `npm run bench` (bench/run.ts); do not edit by hand. How to read it: bench/README.md. What the numbers say and what to fix: bench/FINDINGS.md._',
    '',
    '## Machine',
    '',
    machineSection(report),
    '',
    '## Targets (issues 8 and 18)',
    '',
    'Ratios compare runs made one after another in this run, on a machine shared with other work: see the load average above. Why a target is missed, with the evidence and the fix, in priority order: bench/FINDINGS.md.',
    '',
    targetsTable(evaluateTargets(report)),
    '',
    COMBINED_SECTION,
    '',
    combinedSection(report),
    '',
    '## Scenarios',
    '',
    'req/s counts successful answers only; latencies are milliseconds; "app / database" is the app’s throughput over the database ceiling’s with prepared statements.',
    '',
    ...names.flatMap((name) => [scenarioSection(report.sizes.flatMap((s) => s.scenarios.filter((r) => r.name === name))), '']),
    '## Growth: largest size against the smallest',
    '',
    scaleSection(report),
    '',
    ...scimSection(report),
    '## Webhook fan-out',
    '',
    ...report.sizes.map((s) => (s.fanOut ? fanOutSection(s.size, s.fanOut) : `${sizeLabel(s.size)}: skipped (${s.fanOutSkipped ?? 'not run'})`)),
    '',
    ...(report.firstStart ? ['## First start of a fresh clone', '', firstStartSection(report.firstStart), ''] : []),
    '## Statements and plans (EXPLAIN ANALYZE of one request’s statements, after the load)',
    '',
    'Full plans: bench/results/explain-<size>.txt.',
    '',
    ...report.sizes.flatMap((s) => Object.entries(s.explain).flatMap(([scenario, explained]) => [explainSection(s.size, scenario, explained), ''])),
    '## Seed',
    '',
    ...report.sizes.flatMap((s) => (s.seed ? [seedSection(s.seed), ''] : [`${sizeLabel(s.size)}: reused an already seeded database (--reuse).`, ''])),
  ];
  if (archived.length) parts.push('## Earlier runs', '', ...archived.map((file) => `- bench/results/${file}`), '');
  return parts.join('\n');
}

function scimSection(report: RunReport): string[] {
  const measured = report.sizes.filter((s) => s.scimProvisioning || s.scimProvisioningSkipped);
  if (measured.length === 0) return [];
  const m = report.machine;
  const run = `Measured by \`${m.commandLine}\` at ${m.date} (commit ${m.commit}); load average at start ${m.loadAverage.join(', ')}.`;
  return [SCIM_SECTION, '', run, '', ...measured.map((s) => (s.scimProvisioning ? scimProvisioningSection(s.size, s.scimProvisioning) : `${sizeLabel(s.size)}: ${s.scimProvisioningSkipped}`)), ''];
}

/** Writes bench/RESULTS.md, a dated copy in bench/results/, and the full EXPLAIN plans. */
export async function writeResults(report: RunReport): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const stamp = report.machine.date.replace(/[:.]/g, '-');
  const copy = `run-${stamp}-${report.sizes.map((s) => sizeLabel(s.size)).join('-')}.md`;
  const archived = (await readdir(resultsDir)).filter((f) => f.startsWith('run-') && f !== copy).sort().reverse();
  const markdown = renderResults(report, archived);
  // A run of `--only scim-provisioning` replaces that one section and keeps the rest as the last full
  // run wrote it; any run keeps the section bench/matching/run.ts wrote.
  const scimOnly = report.options.only.length === 1 && report.options.only[0] === SCIM_PROVISIONING;
  const existing = await readFile(`${benchDir}RESULTS.md`, 'utf8').catch(() => null);
  let results = scimOnly && existing ? spliceSection(existing, SCIM_SECTION, scimSection(report).join('\n')) : markdown;
  const matching = existing && sectionOf(existing, MATCHING_SECTION);
  if (matching && !results.includes(MATCHING_SECTION)) results = spliceSection(results, MATCHING_SECTION, matching);
  await writeFile(`${benchDir}RESULTS.md`, results);
  await writeFile(`${resultsDir}/${copy}`, markdown);
  for (const size of report.sizes) {
    const plans = Object.entries(size.explain).flatMap(([scenario, explained]) =>
      explained.map((e) => `== ${scenario}: ${e.statement}\n${e.error ? `not explained: ${e.error}` : e.text}\n`),
    );
    if (plans.length) await writeFile(`${resultsDir}/explain-${sizeLabel(size.size)}.txt`, plans.join('\n'));
  }
  return `${benchDir}RESULTS.md`;
}
