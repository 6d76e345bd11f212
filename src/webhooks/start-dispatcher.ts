import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { EventFeed } from '../db/event-feed.ts';
import type { Clock } from '../domain/context.ts';
import { createDispatcher, type Dispatcher, type DispatcherLogger } from './dispatcher.ts';
import { systemResolver, type UrlGuardOptions } from './url-guard.ts';

/** The URL guard as configured: WEBHOOK_ALLOW_PRIVATE_URLS, and the system's DNS. */
export const webhookUrlGuard = (config: Pick<Config, 'webhooks'>): UrlGuardOptions => ({ allowPrivateUrls: config.webhooks.allowPrivateUrls, resolve: systemResolver });

/** The dispatcher as the server and `npm run worker` run it: woken by committed events, polling each second. */
export async function startWebhookDispatcher(deps: {
  database: DatabaseHandle;
  config: Pick<Config, 'webhooks'>;
  eventFeed: EventFeed;
  clock?: Clock;
  logger?: DispatcherLogger;
  onRound?: (seconds: number) => void;
  firstRoundAfterMs?: number;
}): Promise<Dispatcher> {
  const dispatcher = createDispatcher({
    database: deps.database,
    guard: webhookUrlGuard(deps.config),
    eventFeed: deps.eventFeed,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.onRound ? { onRound: deps.onRound } : {}),
    ...(deps.firstRoundAfterMs !== undefined ? { firstRoundAfterMs: deps.firstRoundAfterMs } : {}),
  });
  await dispatcher.start();
  return dispatcher;
}
