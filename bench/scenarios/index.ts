import { graphqlScreen } from './graphql-screen.ts';
import { listFirstPage, listPage50 } from './list-relationships.ts';
import { peopleUpsert } from './people-upsert.ts';
import { readRelationship } from './read-relationship.ts';
import { transition } from './transition.ts';
import type { Scenario } from './types.ts';

/** In run order; SCIM provisioning runs after these, then the webhook fan-out ("webhooks") in its own app process. */
export const SCENARIOS: Scenario[] = [readRelationship, graphqlScreen, listFirstPage, listPage50, transition, peopleUpsert];
export const WEBHOOKS = 'webhooks';
/** Issue 16: SCIM provisioning against the REST batch (bench/scim/provisioning.ts), after the scenarios, in the same app process. */
export const SCIM_PROVISIONING = 'scim-provisioning';
