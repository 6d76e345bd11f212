import { createLrsConfiguration } from '../delivery/xapi/create-lrs-configuration.ts';
import { deleteLrsConfiguration } from '../delivery/xapi/delete-lrs-configuration.ts';
import { getLrsConfiguration } from '../delivery/xapi/get-lrs-configuration.ts';
import { listLrsConfigurationAttempts } from '../delivery/xapi/list-lrs-configuration-attempts.ts';
import { listLrsConfigurations } from '../delivery/xapi/list-lrs-configurations.ts';
import { updateLrsConfiguration } from '../delivery/xapi/update-lrs-configuration.ts';
import { createWebhookEndpoint } from './endpoints/create-endpoint.ts';
import { deleteWebhookEndpoint } from './endpoints/delete-endpoint.ts';
import { getWebhookEndpoint } from './endpoints/get-endpoint.ts';
import { listWebhookEndpoints } from './endpoints/list-endpoints.ts';
import { rotateWebhookSecret } from './endpoints/rotate-secret.ts';
import { updateWebhookEndpoint } from './endpoints/update-endpoint.ts';
import { listEventTypes } from './events/list-event-types.ts';
import { getEvent } from './events/get-event.ts';
import { listEvents } from './events/list-events.ts';
import { listEndpointAttempts } from './log/list-endpoint-attempts.ts';
import { listEventAttempts } from './log/list-event-attempts.ts';
import { recoverWebhookEndpoint } from './replay/recover-endpoint.ts';
import { resendEvent } from './replay/resend-event.ts';
import { sendTestEvent } from './replay/send-test-event.ts';

/**
 * Every use case of the outbox's channels (webhook endpoints, and LRS configurations of the xAPI
 * channel), one function each; transports reach them through createWebhookServices.
 */
export const webhookUseCases = {
  createWebhookEndpoint,
  listWebhookEndpoints,
  getWebhookEndpoint,
  updateWebhookEndpoint,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  sendTestEvent,
  recoverWebhookEndpoint,
  listEndpointAttempts,
  listEventAttempts,
  resendEvent,
  listEvents,
  getEvent,
  listEventTypes,
  createLrsConfiguration,
  listLrsConfigurations,
  getLrsConfiguration,
  updateLrsConfiguration,
  deleteLrsConfiguration,
  listLrsConfigurationAttempts,
};
