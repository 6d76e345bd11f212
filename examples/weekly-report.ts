// A programme manager's weekly report, as Markdown: for each programme, where its relationships
// stand, how long stages take, goals achieved, the moves of the last seven days and the pairs
// that have gone quiet (with names, so someone can reach out).
//   TANDEM_TOKEN=… npx tsx examples/weekly-report.ts [--quiet-days 21] > report.md
// Needs an organisation-wide caller (admin, manager, or a client with programmes:read,
// relationships:read and people:read).
import { parseArgs } from 'node:util';
import { paginate, unwrap, type Schema } from '@tandem/client';
import { connect } from './connect.ts';

const { values } = parseArgs({ options: { 'quiet-days': { type: 'string', default: '21' } } });
const quietDays = Number(values['quiet-days']);
const tandem = connect();
const weekAgo = Date.now() - 7 * 86_400_000;
const names = new Map<string, string>();

async function nameOf(id: string): Promise<string> {
  if (!names.has(id)) names.set(id, (await unwrap(tandem.GET('/v1/people/{id}', { params: { path: { id } } }))).name);
  return names.get(id)!;
}
const pair = async (relationship: Schema<'Relationship'>) => `${await nameOf(relationship.mentorId)} → ${await nameOf(relationship.menteeId)}`;

const out: string[] = [`# Mentoring — week ending ${new Date().toISOString().slice(0, 10)}`, ''];
for await (const programme of paginate((cursor) => tandem.GET('/v1/programmes', { params: { query: { cursor, limit: 100 } } }))) {
  const report = await unwrap(tandem.GET('/v1/programmes/{id}/report', { params: { path: { id: programme.id }, query: { inactiveDays: quietDays } } }));
  const stages = programme.stageModel.stages;
  out.push(`## ${programme.name} (${programme.stageModel.key})`, '', `${report.relationships.total} relationships.`, '', '| stage | active | completed | declined | withdrawn | median days in stage |', '|---|---|---|---|---|---|');
  for (const stage of stages) {
    const count = (status: string) => report.relationships.byStage.find((row) => row.stage === stage && row.status === status)?.count ?? 0;
    const median = report.medianDaysInStage.find((row) => row.stage === stage)?.medianDays;
    out.push(`| ${stage} | ${count('active')} | ${count('completed')} | ${count('declined')} | ${count('withdrawn')} | ${median === undefined ? '—' : median.toFixed(1)} |`);
  }
  const rate = report.goals.achievementRate;
  out.push('', `Goals: ${report.goals.total} in all, ${report.goals.agreed} in progress, ${report.goals.achieved} achieved, ${report.goals.dropped} dropped${rate === null ? '' : ` (${Math.round(rate * 100)} % of resolved goals achieved)`}.`, '');
  const { progress } = report;
  const { sessions } = progress;
  out.push(
    `Progress: ${progress.goalsOnTrack} of ${progress.goalsTracked} goals tracked by their KPIs on track; ${progress.tasks.done} of ${progress.tasks.total} tasks done.`,
    `Sessions: ${sessions.held} held of ${sessions.expected} expected by the rhythms of ${sessions.relationshipsWithRhythm} pairs${sessions.heldShare === null ? '' : ` (${Math.round(sessions.heldShare * 100)} % kept)`}.`,
    '',
  );

  const moves: string[] = [];
  for await (const relationship of paginate((cursor) => tandem.GET('/v1/relationships', { params: { query: { programmeId: programme.id, cursor, limit: 100 } } }))) {
    if (Date.parse(relationship.stageEnteredAt) < weekAgo && Date.parse(relationship.updatedAt) < weekAgo) continue;
    for await (const entry of paginate((cursor) => tandem.GET('/v1/relationships/{id}/transitions', { params: { path: { id: relationship.id }, query: { cursor, limit: 100 } } }))) {
      if (Date.parse(entry.at) >= weekAgo) moves.push(`- ${entry.at.slice(0, 10)} ${await pair(relationship)}: ${entry.fromStage ?? 'opened'} → ${entry.toStatus === 'active' ? entry.toStage : entry.toStatus}`);
    }
  }
  out.push('### This week', '', ...(moves.length ? moves : ['- no moves']), '');
  const quiet = await Promise.all(report.inactive.relationshipIds.map(async (id) => {
    const relationship = await unwrap(tandem.GET('/v1/relationships/{id}', { params: { path: { id } } }));
    return `- ${await pair(relationship)} in ${relationship.stage}, last activity ${relationship.lastActivityAt.slice(0, 10)}`;
  }));
  out.push(`### Quiet for ${quietDays}+ days`, '', ...(quiet.length ? quiet : ['- none']), '');
}
console.log(out.join('\n'));
