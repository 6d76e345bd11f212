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

/** Every webhook use case, one function each; transports reach them through createWebhookServices. */
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
};
