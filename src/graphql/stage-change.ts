import type { RelationshipStatus } from '../vocabulary.ts';

/** An event as the database's event feed announces it (LISTEN/NOTIFY), from any instance. */
export interface AnnouncedEvent {
  id: string;
  orgId: string;
  type: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

/** The source of announced events; src/db/event-feed.ts provides it, injected by app.ts. */
export interface EventSource {
  subscribe(listener: (event: AnnouncedEvent) => void): () => void;
}

/** What a relationshipStageChanged subscriber receives: the facts of relationship.stage_changed. */
export type StageChangePayload = {
  eventId: string;
  orgId: string;
  relationshipId: string;
  programmeId: string;
  from: string;
  to: string;
  stage: string;
  status: RelationshipStatus;
  version: number;
  reason: string | null;
  override: boolean;
  actor: string;
};

export const STAGE_CHANGED = 'relationship.stage_changed';

/** One topic per organisation and programme: a subscriber can only ever hear its own organisation. */
export const stageChangeTopic = (orgId: string, programmeId: string) => `stage-changed:${orgId}:${programmeId}`;

export function stageChangeFrom(event: AnnouncedEvent): StageChangePayload {
  const facts = event.payload as Omit<StageChangePayload, 'eventId' | 'orgId'>;
  return {
    eventId: event.id,
    orgId: event.orgId,
    relationshipId: facts.relationshipId,
    programmeId: facts.programmeId,
    from: facts.from,
    to: facts.to,
    stage: facts.stage,
    status: facts.status,
    version: facts.version,
    reason: facts.reason ?? null,
    override: facts.override === true,
    actor: facts.actor,
  };
}
