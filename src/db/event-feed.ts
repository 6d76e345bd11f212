import type { DatabaseHandle } from './client.ts';

/** The channel every outbox event is announced on, at commit (see recordEvent). */
export const EVENTS_CHANNEL = 'tandem_events';

export interface AnnouncedEvent {
  id: string;
  orgId: string;
  type: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

export interface EventFeed {
  /** Subscribes to events committed by any instance sharing this database; returns the unsubscribe. */
  subscribe(listener: (event: AnnouncedEvent) => void): () => void;
  close(): Promise<void>;
}

/**
 * One LISTEN per process, fanned out in memory. NOTIFY is sent inside the writing transaction,
 * so listeners hear of an event only once it has committed, on every instance.
 */
export async function startEventFeed(database: DatabaseHandle): Promise<EventFeed> {
  const listeners = new Set<(event: AnnouncedEvent) => void>();
  const unlisten = await database.listen(EVENTS_CHANNEL, (raw) => {
    let event: AnnouncedEvent;
    try {
      event = JSON.parse(raw) as AnnouncedEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      listeners.clear();
      await unlisten();
    },
  };
}
