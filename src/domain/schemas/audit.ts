import { z } from 'zod';
import { Id, PageQuery, Timestamp, pageOf } from './common.ts';

export const AuditEvent = z
  .object({
    id: Id,
    actor: z.string().meta({ description: 'The token subject that made the change.' }),
    clientId: z.string().nullable().meta({ description: 'The integration client, when a client made it.' }),
    action: z.string().meta({ example: 'transitionRelationship' }),
    subjectType: z.string().meta({ example: 'relationship' }),
    subjectId: z.string().nullable(),
    at: Timestamp,
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditPage = pageOf(AuditEvent, 'AuditEvent');

export const ListAuditEventsQuery = PageQuery.extend({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  subjectId: z.string().max(100).optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
});
