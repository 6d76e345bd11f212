// A front end's relationship screen: everything it shows in one GraphQL query, then live stage
// changes over a graphql-ws subscription.
//   TANDEM_TOKEN=… npx tsx examples/relationship-screen.ts RELATIONSHIP_ID [--changes N]
// Prints the screen, then each stage change of the relationship's programme; stops after N
// changes (default: runs until Ctrl-C).
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { baseUrl } from './connect.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { changes: { type: 'string' } } });
const id = positionals[0];
const token = process.env.TANDEM_TOKEN;
if (!id || !token) {
  console.error('usage: TANDEM_TOKEN=… relationship-screen.ts RELATIONSHIP_ID [--changes N]');
  process.exit(2);
}

const SCREEN = /* GraphQL */ `
  query RelationshipScreen($id: ID!) {
    relationship(id: $id) {
      id stage status version aspiration stageEnteredAt lastActivityAt
      programme { id name stageModel { key stages } }
      mentor { name timezone skills }
      mentee { name timezone }
      goals { title status dueOn milestones { title dueOn doneAt } }
      sessions { kind heldAt minutes }
      history { fromStage toStage toStatus actor at }
      nextStages { stage allowed blockers { code message } }
    }
  }
`;

interface Screen {
  relationship: {
    id: string; stage: string; status: string; version: number; aspiration: string | null; stageEnteredAt: string; lastActivityAt: string;
    programme: { id: string; name: string; stageModel: { key: string; stages: string[] } } | null;
    mentor: { name: string; timezone: string; skills: string[] } | null;
    mentee: { name: string; timezone: string } | null;
    goals: { title: string; status: string; dueOn: string | null; milestones: { title: string; dueOn: string | null; doneAt: string | null }[] }[];
    sessions: { kind: string; heldAt: string; minutes: number }[];
    history: { fromStage: string | null; toStage: string; toStatus: string; actor: string; at: string }[];
    nextStages: { stage: string; allowed: boolean; blockers: { code: string; message: string }[] }[];
  } | null;
}

const response = await fetch(new URL('/graphql', baseUrl), {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query: SCREEN, variables: { id } }),
});
const { data, errors } = (await response.json()) as { data?: Screen; errors?: { message: string; extensions?: { code?: string } }[] };
if (errors?.length) console.error(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('\n'));
const relationship = data?.relationship;
if (!relationship) {
  console.error(`relationship ${id} not found`);
  process.exit(1);
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
const lines = [
  `${relationship.mentor?.name ?? '?'} mentoring ${relationship.mentee?.name ?? '?'} — ${relationship.programme?.name ?? ''} (${relationship.programme?.stageModel.key ?? ''})`,
  `stage: ${relationship.stage} (${relationship.status}) since ${day(relationship.stageEnteredAt)}, version ${relationship.version}`,
  `aspiration: ${relationship.aspiration ?? '—'}`,
  'goals:',
  ...relationship.goals.map((goal) => `  [${goal.status}] ${goal.title} (due ${day(goal.dueOn)}; milestones ${goal.milestones.filter((m) => m.doneAt).length}/${goal.milestones.length})`),
  `sessions: ${relationship.sessions.length} (${relationship.sessions.reduce((sum, session) => sum + session.minutes, 0)} minutes)`,
  'history:',
  ...relationship.history.map((entry) => `  ${day(entry.at)} ${entry.fromStage ?? '·'} → ${entry.toStatus === 'active' ? entry.toStage : entry.toStatus} by ${entry.actor}`),
  'next:',
  ...relationship.nextStages.map((move) => `  ${move.allowed ? '✓' : '✗'} ${move.stage}${move.blockers.map((blocker) => `\n      ${blocker.code}: ${blocker.message}`).join('')}`),
];
console.log(lines.join('\n'));

// Live: the programme's stage changes, for as long as the screen is open.
const limit = values.changes ? Number(values.changes) : Infinity;
const ws = createClient({
  url: new URL('/graphql', baseUrl.replace(/^http/, 'ws')).toString(),
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  on: { connected: () => console.log('listening for stage changes…') },
});
const changes = ws.iterate<{ relationshipStageChanged: { relationshipId: string; from: string; stage: string; status: string; version: number; actor: string } }>({
  query: 'subscription ($programmeId: ID!) { relationshipStageChanged(programmeId: $programmeId) { relationshipId from stage status version actor } }',
  variables: { programmeId: relationship.programme!.id },
});
let seen = 0;
for await (const message of changes) {
  const change = message.data?.relationshipStageChanged;
  if (!change) continue;
  const mine = change.relationshipId === relationship.id ? ' (this relationship)' : '';
  console.log(`changed${mine}: ${change.relationshipId} ${change.from} → ${change.status === 'active' ? change.stage : change.status} v${change.version} by ${change.actor}`);
  if (++seen >= limit) break;
}
await ws.dispose();
