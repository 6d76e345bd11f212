// npm run bench:first-start                        three rounds of the committed HEAD
// npm run bench:first-start -- --rounds 5 --ref main --ignore-scripts   (npm ci without "prepare")
// What a round does: bench/start/first-start.ts. `npm run bench` runs the same three rounds into RESULTS.md.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fmtSpread, spread } from './report/targets.ts';
import { commitOf, firstStartRound, type FirstStartRound } from './start/first-start.ts';

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    ref: { type: 'string', default: 'HEAD' },
    'ignore-scripts': { type: 'boolean', default: false },
  },
});

const seconds = (ms: number) => (ms / 1000).toFixed(2);

const commit = commitOf(options.ref);
console.log(`first start of ${commit.slice(0, 7)}${options['ignore-scripts'] ? ' (npm ci --ignore-scripts)' : ''}, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
const rounds: FirstStartRound[] = [];
for (let i = 0; i < Number(options.rounds); i++) {
  const result = await firstStartRound(commit, { ignoreScripts: options['ignore-scripts'] });
  rounds.push(result);
  const phases = Object.entries(result.phases).map(([name, ms]) => `${name} ${ms}`).join(', ');
  console.log(`  round ${i + 1}: ready ${seconds(result.ready)} s (CPU ${seconds(result.cpu)} s) = before the server ${seconds(result.ready - result.server)} s + server ${seconds(result.server)} s (${phases} ms); npm ci ${seconds(result.install)} s`);
}
const column = (pick: (round: FirstStartRound) => number) => `${fmtSpread(spread(rounds.map((round) => pick(round) / 1000)))} s`;
console.log(`ready after spawn: ${column((r) => r.ready)}, CPU time until then ${column((r) => r.cpu)}`);
console.log(`  npm and prestart: ${column((r) => r.ready - r.server)}`);
console.log(`  server process:   ${column((r) => r.server)}`);
for (const name of Object.keys(rounds[0]!.phases)) console.log(`    ${name.padEnd(15)} ${column((r) => r.phases[name] ?? 0)}`);
console.log(`load average after: ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
