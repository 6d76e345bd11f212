import type { FastifyInstance } from 'fastify';
import { STAGE_CHANGED, stageChangeFrom, stageChangeTopic, type EventSource } from './stage-change.ts';

/**
 * Feeds mercurius' in-process pubsub from the database's event feed. The feed is LISTEN/NOTIFY,
 * so a change committed on any instance sharing the database reaches the subscribers of every
 * instance; each is published on its organisation's topic only.
 */
export function bridgeStageChanges(app: FastifyInstance, events: EventSource): void {
  const unsubscribe = events.subscribe((event) => {
    if (event.type !== STAGE_CHANGED) return;
    const change = stageChangeFrom(event);
    void app.graphql.pubsub.publish({ topic: stageChangeTopic(change.orgId, change.programmeId), payload: change });
  });
  app.addHook('onClose', async () => {
    unsubscribe();
  });
}
