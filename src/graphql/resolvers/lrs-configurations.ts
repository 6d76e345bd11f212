import type { CreateLrsConfigurationInput, UpdateLrsConfigurationInput } from '../../delivery/xapi/schemas.ts';
import type { WebhookServices } from '../../webhooks/services.ts';
import { pageQuery, toConnection } from '../connection.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers.ts';
import { asDomainInput, requireIds, withoutNulls } from '../inputs.ts';

/** LRS configurations (the xAPI channel): the same use cases as /v1/lrs-configurations, one call each. */
export function lrsQueryResolvers(webhooks: WebhookServices): Pick<QueryResolvers, 'lrsConfigurations' | 'lrsConfiguration'> {
  return {
    lrsConfigurations: async (_root, args, { actor }) => toConnection(await webhooks.listLrsConfigurations(actor, pageQuery(args))),
    lrsConfiguration: (_root, args, { actor }) => webhooks.getLrsConfiguration(actor, requireIds({ id: args.id })),
  };
}

export function lrsMutationResolvers(webhooks: WebhookServices): Pick<MutationResolvers, 'createLrsConfiguration' | 'updateLrsConfiguration' | 'deleteLrsConfiguration'> {
  return {
    createLrsConfiguration: (_root, { input }, { actor }) => webhooks.createLrsConfiguration(actor, asDomainInput<CreateLrsConfigurationInput>(withoutNulls(input))),
    updateLrsConfiguration: (_root, { id, input }, { actor }) =>
      webhooks.updateLrsConfiguration(actor, { ...requireIds({ id }), changes: asDomainInput<UpdateLrsConfigurationInput>(input) }),
    deleteLrsConfiguration: async (_root, { id }, { actor }) => {
      await webhooks.deleteLrsConfiguration(actor, requireIds({ id }));
      return id;
    },
  };
}
