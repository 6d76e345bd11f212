import type { Role } from '../vocabulary.ts';
import type { Actor } from './context.ts';
import { forbidden } from './errors.ts';

/** What an integration client may be granted; a client's token carries some of these. */
export const SCOPES = [
  'programmes:read',
  'programmes:write',
  'people:read',
  'people:write',
  'relationships:read',
  'relationships:write',
  'webhooks:manage',
  'events:read',
  'scim',
  'personal-data',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface Permission {
  /** Roles that may call the operation at all. */
  roles: readonly Role[];
  /** The scope an integration client needs. */
  scope?: Scope;
  /** How members are narrowed, when they may call it. */
  members?: 'own relationships' | 'themselves and the people they are paired with' | 'themselves';
  /** Rules about which party may do it, enforced by the use case. */
  parties?: string;
}

const ALL: readonly Role[] = ['admin', 'manager', 'integration', 'member'];
const ORG: readonly Role[] = ['admin', 'manager', 'integration'];
const read = (scope: Scope, members?: Permission['members']): Permission => ({ roles: members ? ALL : ORG, scope, ...(members ? { members } : {}) });
const directory: Permission = { roles: ['admin', 'integration'], scope: 'scim' };
/** Matching decides who mentors whom: the organisation's admins and programme managers. */
const matching: Permission = { roles: ['admin', 'manager'] };
const hooks: Permission = { roles: ['admin', 'integration'], scope: 'webhooks:manage' };
const partyWrite = (parties?: string): Permission => ({ roles: ALL, scope: 'relationships:write', members: 'own relationships', ...(parties ? { parties } : {}) });

/**
 * The permission matrix: every operation (named as its REST operationId), who may call it.
 * The domain enforces it through `authorize`; docs/permissions.md and the route × role test
 * are generated from it, so the three never disagree.
 */
export const PERMISSIONS = {
  getViewer: { roles: ALL },
  listStageModels: { roles: ALL, scope: 'programmes:read' },
  getStageModel: { roles: ALL, scope: 'programmes:read' },
  getStageModelDiagram: { roles: ALL, scope: 'programmes:read' },
  createProgramme: { roles: ORG, scope: 'programmes:write' },
  updateProgramme: { roles: ORG, scope: 'programmes:write' },
  listProgrammes: { roles: ALL, scope: 'programmes:read' },
  getProgramme: { roles: ALL, scope: 'programmes:read' },
  getProgrammeStageModelDiagram: { roles: ALL, scope: 'programmes:read' },
  getProgrammeReport: read('programmes:read'),
  createPerson: { roles: ORG, scope: 'people:write' },
  upsertPersonByExternalId: { roles: ORG, scope: 'people:write' },
  batchUpsertPeople: { roles: ORG, scope: 'people:write' },
  updatePerson: { roles: ORG, scope: 'people:write' },
  listPeople: read('people:read'),
  getPerson: read('people:read', 'themselves and the people they are paired with'),
  exportPersonalData: { roles: ALL, scope: 'personal-data', members: 'themselves' },
  erasePersonalData: { roles: ['admin', 'integration'], scope: 'personal-data' },
  provisionPerson: directory,
  getDirectoryPerson: directory,
  listDirectoryPeople: directory,
  replaceDirectoryPerson: directory,
  deprovisionPerson: directory,
  openRelationship: { roles: ORG, scope: 'relationships:write' },
  suggestMentors: matching,
  createMatchingRun: matching,
  getMatchingRun: matching,
  acceptMatchingPairs: matching,
  listRelationships: read('relationships:read', 'own relationships'),
  getRelationship: read('relationships:read', 'own relationships'),
  listTransitions: read('relationships:read', 'own relationships'),
  getNextStages: read('relationships:read', 'own relationships'),
  getRelationshipDiagram: read('relationships:read', 'own relationships'),
  acceptFit: partyWrite('a member accepts only as their own party'),
  setAgreement: partyWrite(),
  setRapport: partyWrite('either party: the mentee shares, the mentor may record what was shared'),
  transitionRelationship: partyWrite('either party may move or withdraw; only admins override guards'),
  overrideGuards: { roles: ['admin'] },
  createGoal: partyWrite('only the mentor may confirm a goal is realistic'),
  updateGoal: partyWrite('only the mentor may confirm a goal is realistic'),
  listGoals: read('relationships:read', 'own relationships'),
  getGoal: read('relationships:read', 'own relationships'),
  agreeGoal: partyWrite('a member agrees only as their own party'),
  achieveGoal: partyWrite(),
  dropGoal: partyWrite(),
  completeMilestone: partyWrite(),
  completeTask: partyWrite(),
  reopenTask: partyWrite(),
  recordMetricReading: partyWrite(),
  listMetricReadings: read('relationships:read', 'own relationships'),
  checkSmart: read('relationships:read', 'own relationships'),
  logSession: partyWrite(),
  planSession: partyWrite('either party may plan; the mentee may plan the discovery call in the first stage'),
  getSession: read('relationships:read', 'own relationships'),
  holdSession: partyWrite(),
  cancelSession: partyWrite(),
  markSessionMissed: partyWrite(),
  listSessions: read('relationships:read', 'own relationships'),
  getRhythm: read('relationships:read', 'own relationships'),
  getSessionCalendar: read('relationships:read', 'own relationships'),
  createCalendarFeed: { roles: ALL, scope: 'people:write', members: 'themselves' },
  revokeCalendarFeed: { roles: ALL, scope: 'people:write', members: 'themselves' },
  recordReflection: partyWrite('a member writes only as their own party'),
  listReflections: read('relationships:read', 'own relationships'),
  createClient: { roles: ['admin'] },
  listClients: { roles: ['admin'] },
  getClient: { roles: ['admin'] },
  revokeClient: { roles: ['admin'] },
  listAuditEvents: { roles: ['admin'] },
  createWebhookEndpoint: hooks,
  listWebhookEndpoints: hooks,
  getWebhookEndpoint: hooks,
  updateWebhookEndpoint: hooks,
  deleteWebhookEndpoint: hooks,
  rotateWebhookSecret: hooks,
  sendWebhookTestEvent: hooks,
  recoverWebhookEndpoint: hooks,
  listWebhookEndpointAttempts: hooks,
  createLrsConfiguration: hooks,
  listLrsConfigurations: hooks,
  getLrsConfiguration: hooks,
  updateLrsConfiguration: hooks,
  deleteLrsConfiguration: hooks,
  listLrsConfigurationAttempts: hooks,
  listEventAttempts: hooks,
  resendEvent: hooks,
  listEventTypes: { roles: ['admin', 'integration'], scope: 'events:read' },
  listEvents: { roles: ['admin', 'integration'], scope: 'events:read' },
  getEvent: { roles: ['admin', 'integration'], scope: 'events:read' },
} as const satisfies Record<string, Permission>;

export type Operation = keyof typeof PERMISSIONS;

/** The one permission check: the first line of every use case. */
export function authorize(actor: Actor, operation: Operation, table: Record<string, Permission> = PERMISSIONS): void {
  const permission = table[operation]!;
  if (!actor.roles.some((role) => permission.roles.includes(role))) {
    throw forbidden(`${operation} needs one of the roles ${permission.roles.join(', ')}.`);
  }
  const isOnlyIntegration = actor.roles.every((role) => role === 'integration');
  if (isOnlyIntegration && actor.scopes && permission.scope && !actor.scopes.includes(permission.scope)) {
    throw forbidden(`${operation} needs the scope ${permission.scope}, which this client was not granted.`);
  }
}
