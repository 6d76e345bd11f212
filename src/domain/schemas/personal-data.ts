import { z } from 'zod';
import { PARTIES } from '../../vocabulary.ts';
import { Reflection, Session } from './activity.ts';
import { Id, Timestamp } from './common.ts';
import { Goal } from './goal.ts';
import { Person } from './person.ts';
import { MetricReading } from './progress.ts';
import { HistoryEntry, Relationship } from './relationship.ts';

export const PersonalDataExport = z
  .object({
    format: z.literal('tandem.person-export.v1'),
    exportedAt: Timestamp,
    person: Person,
    directory: z.record(z.string(), z.unknown()).meta({ description: 'What an identity provider sent beyond the mapped fields (SCIM), as sent.' }),
    relationships: z.array(
      Relationship.extend({
        role: z.enum(PARTIES).meta({ description: 'The person\'s side of the relationship.' }),
        programmeName: z.string(),
        history: z.array(HistoryEntry),
      }),
    ),
    goals: z.array(Goal).meta({ description: 'The goals of their relationships.' }),
    metricReadings: z.array(MetricReading).meta({ description: "The check-ins of those goals' metrics." }),
    sessions: z.array(Session).meta({ description: 'The sessions of their relationships.' }),
    reflections: z.array(Reflection).meta({ description: 'The reflections they wrote.' }),
    events: z
      .array(z.object({ id: Id, type: z.string(), subjectId: Id, createdAt: Timestamp, data: z.record(z.string(), z.unknown()) }))
      .meta({ description: 'Events they caused or that are about them, as webhooks and the event log carry them, while the outbox holds them.' }),
  })
  .meta({
    id: 'PersonalDataExport',
    description: "Everything Tandem holds about a person (GDPR art. 15 and 20), as JSON: the person, the directory's attributes, their relationships with each stage history, the goals (with their metric readings) and sessions of those relationships, and the reflections they wrote, and the events they caused or that are about them.",
  });
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;

export const ErasureResult = z
  .object({
    personId: Id,
    erasedAt: Timestamp,
    withdrawn: z.array(Id).meta({ description: 'Active relationships withdrawn by the erasure (their programme withdraws on de-provisioning).' }),
    kept: z.array(Id).meta({ description: 'Active relationships kept (and flagged) by their programme.' }),
  })
  .meta({
    id: 'ErasureResult',
    description:
      'The person\'s name, email, identifiers, directory attributes and profile, and the free text they wrote (reflections, a mentee\'s aspiration, session notes and agenda they logged, reasons they gave), are replaced by tombstones; ids, stage history and aggregates stay, so reports stay true.',
  });
export type ErasureResult = z.infer<typeof ErasureResult>;
