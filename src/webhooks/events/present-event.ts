import { iso } from '../../domain/present.ts';
import type { OutboxEventRow } from '../message.ts';
import type { EventMessage } from '../schemas/event.ts';

/** An outbox event as integrators read it. */
export const presentEvent = (row: OutboxEventRow): EventMessage => ({ id: row.id, type: row.type, timestamp: iso(row.createdAt), subjectId: row.subjectId, data: row.payload });
