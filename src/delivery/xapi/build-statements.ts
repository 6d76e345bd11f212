import { v5 as uuidv5 } from 'uuid';
import type { LrsSettings } from '../../db/schema.ts';
import type { Party, XapiEventType } from '../../vocabulary.ts';
import type { StatementFacts, StatementPerson } from './statement-facts.ts';

/** The namespace of statement ids: uuidv5(`<event id>/<party>`, this), the same on every attempt. */
export const STATEMENT_ID_NAMESPACE = '5b0d9a4e-2f7c-4c1e-9a53-8d2f0e6b7c41';

const ADL = 'http://adlnet.gov/expapi';
const VERBS = {
  progressed: `${ADL}/verbs/progressed`,
  completed: `${ADL}/verbs/completed`,
  registered: `${ADL}/verbs/registered`,
  attended: `${ADL}/verbs/attended`,
} as const;
type Verb = keyof typeof VERBS;
const ACTIVITY_TYPES = {
  programme: `${ADL}/activities/course`,
  relationship: `${ADL}/activities/module`,
  goal: `${ADL}/activities/objective`,
  milestone: `${ADL}/activities/objective`,
  task: `${ADL}/activities/performance`,
  session: `${ADL}/activities/meeting`,
} as const;
type ActivityKind = keyof typeof ACTIVITY_TYPES;

export type Statement = Record<string, unknown> & { id: string };
export interface StatementEvent {
  id: string;
  type: XapiEventType;
  payload: Record<string, unknown>;
  createdAt: Date;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const lang = (value: string) => ({ 'en-US': value });

/** Builds statements for one event: pure, so the same event and facts always give the same statements (ids included). */
export function buildStatements(event: StatementEvent, facts: StatementFacts, settings: Pick<LrsSettings, 'actorFormat' | 'homePage'>): Statement[] {
  const root = settings.homePage.endsWith('/') ? settings.homePage : `${settings.homePage}/`;
  const iri = (kind: ActivityKind, id: string) => new URL(`tandem/${kind}s/${id}`, root).toString();
  const extension = (name: string) => new URL(`tandem/xapi/extensions/${name}`, root).toString();
  const activity = (kind: ActivityKind, id: string, name?: string) => ({
    objectType: 'Activity',
    id: iri(kind, id),
    definition: { type: ACTIVITY_TYPES[kind], ...(name ? { name: lang(name) } : {}) },
  });
  // No display name: an account statement then stays the same statement for good (an erasure
  // does not turn a redelivery into a 409), and an LRS learns no more about a person than it needs.
  const agent = (person: StatementPerson) =>
    settings.actorFormat === 'mbox' && person.email && !person.erased
      ? { objectType: 'Agent', mbox: `mailto:${person.email}` }
      : { objectType: 'Agent', account: { homePage: settings.homePage, name: person.id } };
  const data = event.payload;
  const relationship = activity('relationship', facts.relationshipId);
  const goal = typeof data.goalId === 'string' ? activity('goal', data.goalId, event.type === 'milestone.completed' ? undefined : text(data.title)) : null;

  const statement = (party: Party, verb: Verb, object: Record<string, unknown>, result?: Record<string, unknown>): Statement => {
    const grouping = object === relationship ? [] : [relationship, ...(goal && object !== goal ? [goal] : [])];
    return {
    id: uuidv5(`${event.id}/${party}`, STATEMENT_ID_NAMESPACE),
    actor: agent(facts[party]),
    verb: { id: VERBS[verb], display: lang(verb) },
    object,
    ...(result ? { result } : {}),
    context: {
      registration: facts.relationshipId,
      ...(party === 'mentee' ? { instructor: agent(facts.mentor) } : {}),
      platform: 'Tandem',
      contextActivities: {
        parent: [activity('programme', facts.programme.id, facts.programme.name)],
        ...(grouping.length ? { grouping } : {}),
      },
    },
    timestamp: event.createdAt.toISOString(),
  };
  };
  const done = { completion: true, success: true };

  switch (event.type) {
    case 'relationship.stage_changed':
      return [statement('mentee', 'progressed', relationship, { extensions: { [extension('from-stage')]: text(data.from), [extension('to-stage')]: text(data.to) } })];
    case 'relationship.completed':
      return (['mentee', 'mentor'] as const).map((party) => statement(party, 'completed', relationship, done));
    case 'goal.agreed':
      return [statement('mentee', 'registered', goal!)];
    case 'goal.achieved':
      return [statement('mentee', 'completed', goal!, done)];
    case 'milestone.completed':
      return [statement('mentee', 'completed', activity('milestone', text(data.milestoneId), text(data.title)), done)];
    case 'task.completed':
      return [statement('mentee', 'completed', activity('task', text(data.taskId), text(data.taskTitle)), done)];
    case 'session.held':
    case 'session.logged': {
      const minutes = Number(data.minutes);
      const result = Number.isInteger(minutes) && minutes > 0 ? { duration: `PT${minutes}M` } : undefined;
      return (['mentee', 'mentor'] as const).map((party) => statement(party, 'attended', activity('session', text(data.sessionId)), result));
    }
  }
}
