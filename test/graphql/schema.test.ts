import { buildSchema, getNamedType, getNullableType, isCompositeType, isEnumType, isListType, isObjectType } from 'graphql';
import t from 'tap';
import { schemaSource } from '../../src/graphql/plugin.ts';
import * as vocabulary from '../../src/vocabulary.ts';

const schema = buildSchema(schemaSource);

t.test('every GraphQL enum is a vocabulary list, value for value', async (t) => {
  const lists: Record<string, readonly string[]> = {
    RelationshipStatus: vocabulary.RELATIONSHIP_STATUSES,
    GoalStatus: vocabulary.GOAL_STATUSES,
    AchievementBasis: vocabulary.ACHIEVEMENT_BASES,
    GoalFocus: vocabulary.GOAL_FOCUSES,
    GoalTerm: vocabulary.GOAL_TERMS,
    SessionKind: vocabulary.SESSION_KINDS,
    SessionStatus: vocabulary.SESSION_STATUSES,
    ReflectionKind: vocabulary.REFLECTION_KINDS,
    OngoingReflectionKind: vocabulary.ONGOING_REFLECTION_KINDS,
    Party: vocabulary.PARTIES,
    Role: vocabulary.ROLES,
    Guard: vocabulary.GUARDS,
    DeactivationPolicy: vocabulary.DEACTIVATION_POLICIES,
    ProgrammeEndPolicy: vocabulary.PROGRAMME_END_POLICIES,
    XapiActorFormat: vocabulary.XAPI_ACTOR_FORMATS,
    MatchingFactorName: vocabulary.MATCHING_FACTORS,
    MatchingExclusionCode: vocabulary.MATCHING_EXCLUSIONS,
    MatchingRunStatus: vocabulary.MATCHING_RUN_STATUSES,
    UnmatchedReason: vocabulary.UNMATCHED_REASONS,
  };
  const enums = Object.values(schema.getTypeMap()).filter((type) => isEnumType(type) && !type.name.startsWith('__'));
  for (const type of enums) {
    if (!isEnumType(type) || type.name === 'BlockerTargetType') continue;
    t.same(type.getValues().map((v) => v.value), lists[type.name], `${type.name} matches src/vocabulary.ts`);
  }
  t.same(Object.keys(lists).sort(), enums.map((e) => e.name).filter((n) => n !== 'BlockerTargetType').sort(), 'no enum is left unchecked');
});

t.test('every list of objects says its size, so the cost limit can count it', async (t) => {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const listOfObjects = isListType(getNullableType(field.type)) && isCompositeType(getNamedType(field.type));
      const connection = field.type.toString().endsWith('Connection!');
      const sized = field.astNode?.directives?.some((d) => d.name.value === 'listSize');
      const inConnection = type.name.endsWith('Connection');
      if ((listOfObjects && !inConnection) || connection) t.ok(sized, `${type.name}.${field.name} has @listSize`);
    }
  }
});
