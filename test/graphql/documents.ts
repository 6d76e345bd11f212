// The operations the tests send, written once.

export const RELATIONSHIP_FIELDS = /* GraphQL */ `
  fragment RelationshipFields on Relationship {
    id stage status version endedAt
    mentor { id name } mentee { id name } programme { id name stageModel { key } }
  }
`;

export const GOAL_FIELDS = /* GraphQL */ `
  fragment GoalFields on Goal {
    id title status dueOn
    metrics { id name baseline target current { value at recordedBy } progress } milestones { id title dueOn doneAt }
    tasks { id title dueOn doneAt doneBy doneNote } taskProgress { done total } reopened { at because }
  }
`;

export const CREATE_PROGRAMME = /* GraphQL */ `
  mutation CreateProgramme($input: CreateProgrammeInput!) { createProgramme(input: $input) { id name stageModel { key start } } }
`;
export const CREATE_PERSON = /* GraphQL */ `
  mutation CreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { id name externalId } }
`;
export const UPSERT_PERSON = /* GraphQL */ `
  mutation UpsertPerson($externalId: String!, $input: UpsertPersonInput!) { upsertPerson(externalId: $externalId, input: $input) { created person { id name } } }
`;
export const OPEN_RELATIONSHIP = /* GraphQL */ `
  mutation Open($input: OpenRelationshipInput!) { openRelationship(input: $input) { ...RelationshipFields } }
  ${RELATIONSHIP_FIELDS}
`;
export const ACCEPT_FIT = /* GraphQL */ `
  mutation Accept($id: ID!, $party: Party) { acceptFit(relationshipId: $id, input: { party: $party }) { id version mentorAcceptedAt menteeAcceptedAt } }
`;
export const SET_AGREEMENT = /* GraphQL */ `
  mutation Agree($id: ID!, $agreement: AgreementInput!, $expectedVersion: Int) {
    setAgreement(relationshipId: $id, agreement: $agreement, expectedVersion: $expectedVersion) { id version agreement { contactChannel } }
  }
`;
export const SET_RAPPORT = /* GraphQL */ `
  mutation Rapport($id: ID!, $input: RapportInput!, $expectedVersion: Int) {
    setRapport(relationshipId: $id, input: $input, expectedVersion: $expectedVersion) { id version hopes challenges }
  }
`;
export const TRANSITION = /* GraphQL */ `
  mutation Move($id: ID!, $input: TransitionInput!, $expectedVersion: Int) {
    transitionRelationship(relationshipId: $id, input: $input, expectedVersion: $expectedVersion) { ...RelationshipFields }
  }
  ${RELATIONSHIP_FIELDS}
`;
export const CREATE_GOAL = /* GraphQL */ `
  mutation CreateGoal($id: ID!, $input: GoalDraftInput!) { createGoal(relationshipId: $id, input: $input) { ...GoalFields } }
  ${GOAL_FIELDS}
`;
export const UPDATE_GOAL = /* GraphQL */ `
  mutation UpdateGoal($id: ID!, $goalId: ID!, $input: UpdateGoalInput!) { updateGoal(relationshipId: $id, goalId: $goalId, input: $input) { ...GoalFields } }
  ${GOAL_FIELDS}
`;
export const AGREE_GOAL = /* GraphQL */ `
  mutation AgreeGoal($id: ID!, $goalId: ID!) { agreeGoal(relationshipId: $id, goalId: $goalId) { id status agreedAt } }
`;
export const ACHIEVE_GOAL = /* GraphQL */ `
  mutation AchieveGoal($id: ID!, $goalId: ID!) { achieveGoal(relationshipId: $id, goalId: $goalId, achievedDespite: "Reached all the same.") { id status achievedAt achievement { basis reason marked { party onBehalf } confirmed { party onBehalf } } } }
`;
export const DROP_GOAL = /* GraphQL */ `
  mutation DropGoal($id: ID!, $goalId: ID!, $reason: String!) { dropGoal(relationshipId: $id, goalId: $goalId, reason: $reason) { id status dropReason } }
`;
export const COMPLETE_MILESTONE = /* GraphQL */ `
  mutation Milestone($id: ID!, $goalId: ID!, $milestoneId: ID!) {
    completeMilestone(relationshipId: $id, goalId: $goalId, milestoneId: $milestoneId) { id milestones { id doneAt } }
  }
`;
export const COMPLETE_TASK = /* GraphQL */ `
  mutation CompleteTask($id: ID!, $goalId: ID!, $taskId: ID!, $input: CompleteTaskInput) {
    completeTask(relationshipId: $id, goalId: $goalId, taskId: $taskId, input: $input) { ...GoalFields }
  }
  ${GOAL_FIELDS}
`;
export const REOPEN_TASK = /* GraphQL */ `
  mutation ReopenTask($id: ID!, $goalId: ID!, $taskId: ID!, $input: ReopenTaskInput) {
    reopenTask(relationshipId: $id, goalId: $goalId, taskId: $taskId, input: $input) { ...GoalFields }
  }
  ${GOAL_FIELDS}
`;
export const RECORD_READING = /* GraphQL */ `
  mutation RecordReading($id: ID!, $goalId: ID!, $metricId: ID!, $input: RecordReadingInput!) {
    recordMetricReading(relationshipId: $id, goalId: $goalId, metricId: $metricId, input: $input) { reading { id value at recordedBy note } goal { ...GoalFields } }
  }
  ${GOAL_FIELDS}
`;
export const BATCH_UPSERT_PEOPLE = /* GraphQL */ `
  mutation BatchUpsert($people: [BatchPersonInput!]!) { batchUpsertPeople(people: $people) { created updated people { id externalId name } } }
`;
export const LOG_SESSION = /* GraphQL */ `
  mutation Log($id: ID!, $input: LogSessionInput!) { logSession(relationshipId: $id, input: $input) { id kind minutes relationship { id } } }
`;
export const RECORD_REFLECTION = /* GraphQL */ `
  mutation Reflect($id: ID!, $input: RecordReflectionInput!) { recordReflection(relationshipId: $id, input: $input) { id kind authorParty } }
`;
export const RECORD_CLOSING_REFLECTION = /* GraphQL */ `
  mutation ReflectAtTheEnd($id: ID!, $input: RecordClosingReflectionInput!) { recordClosingReflection(relationshipId: $id, input: $input) { id kind authorParty whatWorked } }
`;

/** The relationship screen: people, goals, milestones, history and what blocks the next stage, in one round trip. */
export const RELATIONSHIP_SCREEN = /* GraphQL */ `
  query Screen($id: ID!) {
    relationship(id: $id) {
      ...RelationshipFields
      aspiration agreement { contactChannel mentorCanHelpWith }
      goals { ...GoalFields }
      sessions { id kind } reflections { id kind authorParty }
      history { version fromStage toStage toStatus reason }
      nextStages { stage allowed blockers { code message guard target { type id } } }
    }
  }
  ${RELATIONSHIP_FIELDS}
  ${GOAL_FIELDS}
`;

/** The list screen: a page of relationships with their people, programme and goals. */
export const RELATIONSHIPS_PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $filter: RelationshipFilter) {
    relationships(first: $first, after: $after, filter: $filter) {
      edges { cursor node {
        id stage
        mentor { id name } mentee { id name } programme { id name }
        goals { id title metrics { name target } milestones { title dueOn } tasks { title } }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The implementation stage of a five-stage pair: each goal's action plan and KPIs, with their latest check-ins. */
export const PROGRESS_SCREEN = /* GraphQL */ `
  query Progress($id: ID!) {
    relationship(id: $id) {
      id stage
      goals { id status taskProgress { done total } tasks { title doneAt doneBy } metrics { id name baseline target current { value } progress readings(last: 3) { value at recordedBy note } } }
    }
  }
`;
