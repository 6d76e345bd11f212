import { listReflections } from './activity/list-reflections.ts';
import { listSessions } from './activity/list-sessions.ts';
import { logSession } from './activity/log-session.ts';
import { recordReflection } from './activity/record-reflection.ts';
import { cancelSession } from './sessions/cancel-session.ts';
import { getSession } from './sessions/get-session.ts';
import { getRhythm } from './sessions/get-rhythm.ts';
import { createCalendarFeed } from './calendar/create-calendar-feed.ts';
import { revokeCalendarFeed } from './calendar/revoke-calendar-feed.ts';
import { getSessionCalendar } from './calendar/get-session-calendar.ts';
import { loadRhythmsByRelationships } from './sessions/load-rhythms-by-relationships.ts';
import { holdSession } from './sessions/hold-session.ts';
import { markSessionMissed } from './sessions/mark-session-missed.ts';
import { planSession } from './sessions/plan-session.ts';
import { drawProgrammeModel } from './diagrams/draw-programme-model.ts';
import { drawRelationship } from './diagrams/draw-relationship.ts';
import { drawStageModel } from './diagrams/draw-stage-model.ts';
import { checkGoalDraft } from './goals/check-goal.ts';
import { createGoal } from './goals/create-goal.ts';
import { getGoal } from './goals/get-goal.ts';
import { listGoals } from './goals/list-goals.ts';
import { updateGoal } from './goals/update-goal.ts';
import { achieveGoal } from './goals/achieve-goal.ts';
import { agreeGoal } from './goals/agree-goal.ts';
import { completeMilestone } from './goals/complete-milestone.ts';
import { dropGoal } from './goals/drop-goal.ts';
import { completeTask } from './progress/complete-task.ts';
import { reopenTask } from './progress/reopen-task.ts';
import { recordMetricReading } from './progress/record-metric-reading.ts';
import { listMetricReadings } from './progress/list-metric-readings.ts';
import { loadReadingsByMetrics } from './progress/load-readings-by-metrics.ts';
import { loadReflectionsByRelationships } from './activity/load-reflections-by-relationships.ts';
import { loadSessionsByRelationships } from './activity/load-sessions-by-relationships.ts';
import { loadGoalsByRelationships } from './goals/load-goals-by-relationships.ts';
import { loadPeopleByIds } from './people/load-people-by-ids.ts';
import { loadProgrammesByIds } from './programmes/load-programmes-by-ids.ts';
import { loadHistoryByRelationships } from './relationships/load-history-by-relationships.ts';
import { loadNextStagesByRelationships } from './relationships/load-next-stages.ts';
import { loadRelationshipsByIds } from './relationships/load-relationships-by-ids.ts';
import { getPerson } from './people/get-person.ts';
import { listPeople } from './people/list-people.ts';
import { batchUpsertPeople } from './people/batch-upsert-people.ts';
import { createPerson } from './people/create-person.ts';
import { updatePerson } from './people/update-person.ts';
import { upsertPerson } from './people/upsert-person.ts';
import { deprovisionPerson } from './people/deprovision-person.ts';
import { erasePersonalData } from './people/erase-personal-data.ts';
import { exportPersonalData } from './people/export-personal-data.ts';
import { getDirectoryPerson } from './people/get-directory-person.ts';
import { listDirectoryPeople } from './people/list-directory-people.ts';
import { provisionPerson } from './people/provision-person.ts';
import { replaceDirectoryPerson } from './people/replace-directory-person.ts';
import { createProgramme } from './programmes/create-programme.ts';
import { updateProgramme } from './programmes/update-programme.ts';
import { getStageModel } from './programmes/get-stage-model.ts';
import { listStageModels } from './programmes/list-stage-models.ts';
import { getViewer } from './viewer.ts';
import { listAuditEvents } from './audit/list-audit-events.ts';
import { createClient } from './clients/create-client.ts';
import { getClient } from './clients/get-client.ts';
import { listClients } from './clients/list-clients.ts';
import { revokeClient } from './clients/revoke-client.ts';
import { getProgrammeReport } from './programmes/programme-report.ts';
import { getProgramme } from './programmes/get-programme.ts';
import { listProgrammes } from './programmes/list-programmes.ts';
import { acceptFit } from './relationships/accept-fit.ts';
import { setAgreement } from './relationships/set-agreement.ts';
import { setRapport } from './relationships/set-rapport.ts';
import { openRelationship } from './relationships/open-relationship.ts';
import { getNextStages } from './relationships/get-next-stages.ts';
import { getRelationship } from './relationships/get-relationship.ts';
import { listHistory } from './relationships/list-history.ts';
import { listRelationships } from './relationships/list-relationships.ts';
import { transitionRelationship } from './relationships/transition-relationship.ts';
import { suggestMentors } from './matching/suggest-mentors.ts';
import { createMatchingRun } from './matching/create-matching-run.ts';
import { getMatchingRun } from './matching/get-matching-run.ts';
import { acceptMatchingPairs } from './matching/accept-matching-pairs.ts';

/** Every use case of the domain, one function each; transports reach them through createServices. */
export const useCases = {
  getViewer,
  listStageModels,
  getStageModel,
  drawStageModel,
  drawProgrammeModel,
  drawRelationship,
  createProgramme,
  updateProgramme,
  getProgramme,
  listProgrammes,
  getProgrammeReport,
  createPerson,
  upsertPerson,
  batchUpsertPeople,
  updatePerson,
  getPerson,
  listPeople,
  exportPersonalData,
  erasePersonalData,
  // The directory (SCIM 2.0): the same people, as an identity provider provisions them.
  provisionPerson,
  getDirectoryPerson,
  listDirectoryPeople,
  replaceDirectoryPerson,
  deprovisionPerson,
  openRelationship,
  // Matching: explained suggestions, programme-wide runs solved by HiGHS, accepting their pairs.
  suggestMentors,
  createMatchingRun,
  getMatchingRun,
  acceptMatchingPairs,
  getRelationship,
  listRelationships,
  acceptFit,
  setAgreement,
  setRapport,
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
  completeTask,
  reopenTask,
  recordMetricReading,
  listMetricReadings,
  checkGoalDraft,
  logSession,
  planSession,
  getSession,
  holdSession,
  cancelSession,
  markSessionMissed,
  getRhythm,
  getSessionCalendar,
  createCalendarFeed,
  revokeCalendarFeed,
  recordReflection,
  listSessions,
  listReflections,
  createClient,
  listClients,
  getClient,
  revokeClient,
  listAuditEvents,
  // Batch reads by id lists (GraphQL loaders): a constant number of statements per batch.
  loadRelationshipsByIds,
  loadProgrammesByIds,
  loadPeopleByIds,
  loadGoalsByRelationships,
  loadReadingsByMetrics,
  loadSessionsByRelationships,
  loadRhythmsByRelationships,
  loadReflectionsByRelationships,
  loadHistoryByRelationships,
  loadNextStagesByRelationships,
};
