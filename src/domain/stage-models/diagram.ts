import type { RelationshipStatus } from '../../vocabulary.ts';
import type { RelationshipPosition, StageModel } from './model.ts';
import { opensRound } from './rounds.ts';

/** One move a relationship made, as its history row records it. */
export interface TakenMove {
  /** null for the row that opened the relationship. */
  fromStage: string | null;
  toStage: string;
  toStatus: RelationshipStatus;
}

/** Where a relationship stands and how it got there: drawn over its programme's model. */
export interface DiagramTrail {
  current: RelationshipPosition;
  moves: readonly TakenMove[];
}

const START = '__start';
const WITHDRAWN = 'withdrawn';
const COLOURS = { stage: '#eef3fb', end: '#f4f4f4', loop: '#b35c00', withdraw: '#9a9a9a', taken: '#1f6feb', visited: '#cfe0ff', current: '#1f6feb' };

/**
 * The Graphviz DOT source of a stage model: each stage a box, each move an arrow labelled with its
 * guards, moves back to an earlier stage dashed (the loops, each of which opens a new round), the end states as circles, and
 * `withdrawn` reachable from every stage (it is never listed in the model). Given a trail, the
 * path a relationship took is drawn bold with how often each move was made, and where it stands
 * now is filled. Pure: the same model and trail always give the same text.
 */
export function stageModelDot(model: StageModel, trail?: DiagramTrail): string {
  const order = new Map(model.stages.map((stage, index) => [stage, index]));
  const ends = [...new Set(model.transitions.map((move) => move.to).filter((to) => !order.has(to))), WITHDRAWN];
  const taken = countTaken(trail);
  const visited = new Set([...taken.keys()].flatMap((key) => key.split('\u0000')));
  const here = trail ? (trail.current.status === 'active' ? trail.current.stage : trail.current.status) : undefined;

  const lines = [
    `digraph ${quote(model.key)} {`,
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=16, labelloc=t, nodesep=0.5, ranksep=0.9, label=${quote(`${oneLine(model.name)} (${model.key})`)}];`,
    '  node [fontname="Helvetica", fontsize=13];',
    '  edge [fontname="Helvetica", fontsize=10];',
    `  ${quote(START)} [shape=point, width=0.15, label="", class="start"];`,
  ];
  for (const stage of model.stages) {
    const state = stage === here ? 'current' : visited.has(stage) ? 'visited' : '';
    const fill = state === 'current' ? COLOURS.current : state === 'visited' ? COLOURS.visited : COLOURS.stage;
    lines.push(
      `  ${quote(stage)} [id=${quote(`stage-${stage}`)}, class=${quote(['stage', state].filter(Boolean).join(' '))}, shape=box, style="rounded,filled", fillcolor=${quote(fill)}` +
        `${state === 'current' ? ', fontcolor="white", penwidth=2' : ''}, label=${quote(stage)}];`,
    );
  }
  for (const end of ends) {
    const current = end === here;
    lines.push(
      `  ${quote(end)} [id=${quote(`end-${end}`)}, class=${quote(`end${current ? ' current' : ''}`)}, shape=doublecircle, style=filled, fillcolor=${quote(current ? COLOURS.current : COLOURS.end)}` +
        `${current ? ', fontcolor="white"' : ''}, fontsize=11, label=${quote(end)}];`,
    );
  }

  lines.push(edge(START, model.start, { kind: 'start', guards: [], times: taken.get(key(null, model.start)) }));
  for (const move of model.transitions) {
    const back = opensRound(model, move.from, move.to);
    lines.push(edge(move.from, move.to, { kind: back ? 'loop' : 'move', guards: move.guards, times: taken.get(key(move.from, move.to)) }));
  }
  // Withdrawing is open from every stage (never listed in a model): drawn faint.
  for (const stage of model.stages) lines.push(edge(stage, WITHDRAWN, { kind: 'withdraw', guards: [], times: taken.get(key(stage, WITHDRAWN)) }));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function edge(from: string, to: string, options: { kind: 'start' | 'move' | 'loop' | 'withdraw'; guards: readonly string[]; times: number | undefined }): string {
  const { kind, guards, times } = options;
  const attributes: string[] = [`id=${quote(`move-${from}-${to}`)}`];
  const label = [...guards, ...(times && times > 1 ? [`taken ${times}×`] : [])].join('\n');
  if (label) attributes.push(`label=${quote(label)}`);
  if (guards.length > 0) attributes.push(`tooltip=${quote(`guards: ${guards.join(', ')}`)}`);
  const classes = [kind === 'start' ? 'move start' : kind === 'move' ? 'move' : `move ${kind}`];
  if (kind === 'loop') attributes.push(`style=dashed, color=${quote(COLOURS.loop)}, fontcolor=${quote(COLOURS.loop)}`);
  if (kind === 'withdraw') attributes.push(`style=dotted, color=${quote(COLOURS.withdraw)}, arrowsize=0.6`);
  if (times) {
    classes.push('taken');
    attributes.push(`color=${quote(COLOURS.taken)}, penwidth=2.5`);
  }
  attributes.push(`class=${quote(classes.join(' '))}`);
  return `  ${quote(from)} -> ${quote(to)} [${attributes.join(', ')}];`;
}

/** How often each move was made, keyed by from and to; the opening row counts as the start arrow. */
function countTaken(trail: DiagramTrail | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const move of trail?.moves ?? []) {
    const to = move.toStatus === 'active' ? move.toStage : move.toStatus;
    const from = move.fromStage;
    counts.set(key(from, to), (counts.get(key(from, to)) ?? 0) + 1);
  }
  return counts;
}

const key = (from: string | null, to: string) => `${from ?? START}\u0000${to}`;
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
/** A DOT quoted string: backslashes and quotes escaped, so no text can break out of it. */
const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
