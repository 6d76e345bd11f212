// The constants of webhook delivery. Its enumerated values (delivery statuses, attempt triggers) are
// stored in columns, so they live with every other stored value in src/vocabulary.ts.

/** The example event of `POST /v1/webhook-endpoints/{id}/test`: sent to one endpoint, never fanned out or polled. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** Who the dispatcher acts as when it records an event of its own. */
export const DISPATCHER_ACTOR = 'system:webhooks';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Standard Webhooks schedule: the first attempt at once, then these delays after each failure. */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const JITTER = 0.2;

export const SECRET_OVERLAP_MS = DAY;
export const DISABLE_AFTER_FAILING_MS = 5 * DAY;
export const RECOVER_MAX_WINDOW_MS = 14 * DAY;
export const EVENT_RETENTION_MS = 30 * DAY;

export const SEND_TIMEOUT_MS = 15 * SECOND;
export const RESPONSE_BODY_LIMIT = 16 * 1024;
