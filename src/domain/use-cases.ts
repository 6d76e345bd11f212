import { listReflections, listSessions, logSession, recordReflection } from './activity/sessions-and-reflections.ts';
import { drawProgrammeModel } from './diagrams/draw-programme-model.ts';
import { drawRelationship } from './diagrams/draw-relationship.ts';
import { drawStageModel } from './diagrams/draw-stage-model.ts';
import { checkGoalDraft } from './goals/check-goal.ts';
import { createGoal, getGoal, listGoals, updateGoal } from './goals/draft-goals.ts';
import { achieveGoal, agreeGoal, completeMilestone, dropGoal } from './goals/resolve-goals.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from './idempotency.ts';
import {
  loadGoalsByRelationships,
  loadHistoryByRelationships,
  loadNextStagesByRelationships,
  loadPeopleByIds,
  loadProgrammesByIds,
  loadReflectionsByRelationships,
  loadRelationshipsByIds,
  loadSessionsByRelationships,
} from './loaders.ts';
import { getPerson, listPeople } from './people/read-people.ts';
import { batchUpsertPeople, createPerson, updatePerson, upsertPerson } from './people/write-people.ts';
import { createProgramme } from './programmes/create-programme.ts';
import { getStageModel, listStageModels } from './programmes/stage-model-catalogue.ts';
import { getViewer } from './viewer.ts';
import { listAuditEvents } from './audit/audit-log.ts';
import { createClient, getClient, listClients, revokeClient } from './clients/manage-clients.ts';
import { getProgrammeReport } from './programmes/programme-report.ts';
import { getProgramme, listProgrammes } from './programmes/read-programmes.ts';
import { acceptFit, setAgreement } from './relationships/agree-terms.ts';
import { openRelationship } from './relationships/open-relationship.ts';
import { getNextStages, getRelationship, listHistory, listRelationships } from './relationships/read-relationships.ts';
import { transitionRelationship } from './relationships/transition-relationship.ts';

/** Every use case of the domain, one function each; transports reach them through createServices. */
export const useCases = {
  getViewer,
  listStageModels,
  getStageModel,
  drawStageModel,
  drawProgrammeModel,
  drawRelationship,
  createProgramme,
  getProgramme,
  listProgrammes,
  getProgrammeReport,
  createPerson,
  upsertPerson,
  batchUpsertPeople,
  updatePerson,
  getPerson,
  listPeople,
  openRelationship,
  getRelationship,
  listRelationships,
  acceptFit,
  setAgreement,
  transitionRelationship,
  getNextStages,
  listHistory,
  createGoal,
  updateGoal,
  getGoal,
  listGoals,
  agreeGoal,
  achieveGoal,
  dropGoal,
  completeMilestone,
  checkGoalDraft,
  logSession,
  recordReflection,
  listSessions,
  listReflections,
  createClient,
  listClients,
  getClient,
  revokeClient,
  listAuditEvents,
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  // Batch reads by id lists (GraphQL loaders): a constant number of statements per batch.
  loadRelationshipsByIds,
  loadProgrammesByIds,
  loadPeopleByIds,
  loadGoalsByRelationships,
  loadSessionsByRelationships,
  loadReflectionsByRelationships,
  loadHistoryByRelationships,
  loadNextStagesByRelationships,
};
