import { z } from 'zod';
import { RHYTHM_BOUNDS, RHYTHM_BOUNDS_TEXT, rhythmErrors } from '../sessions/rhythm.ts';
import { Id, Timestamp } from './common.ts';

// The years 2000–2099 (RHYTHM_BOUNDS), so the bound is in the contract's pattern too.
const LOCAL_DATE_TIME = /^20\d{2}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export const Rhythm = z
  .strictObject({
    rrule: z
      .string()
      .min(1)
      .max(500)
      .meta({ description: `An RFC 5545 recurrence rule (the RRULE value; DTSTART and TZID come from startsAt and timeZone). ${RHYTHM_BOUNDS_TEXT}`, example: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU' }),
    timeZone: z.string().min(1).max(64).meta({ description: 'The IANA time zone the sessions keep their wall-clock time in.', example: 'Europe/London' }),
    startsAt: z
      .string()
      .regex(LOCAL_DATE_TIME, `must be a local date-time without offset in the years ${RHYTHM_BOUNDS.firstYear}–${RHYTHM_BOUNDS.lastYear}, such as 2026-12-01T16:00`)
      .meta({ description: `The first session, as a wall-clock time in timeZone (no offset), in the years ${RHYTHM_BOUNDS.firstYear}–${RHYTHM_BOUNDS.lastYear}.`, example: '2026-12-01T16:00' }),
    minutes: z.number().int().min(5).max(600).default(60).meta({ description: 'How long each session is meant to last.' }),
  })
  .superRefine((rhythm, ctx) => {
    if (!LOCAL_DATE_TIME.test(rhythm.startsAt)) return;
    for (const error of rhythmErrors(rhythm)) ctx.addIssue({ code: 'custom', path: [error.path.replace(/^rhythm\./, '')], message: error.message });
  })
  .meta({ id: 'Rhythm', description: "The pair's agreed meeting rhythm: an RFC 5545 recurrence rule in a time zone." });
export type Rhythm = z.infer<typeof Rhythm>;

export const RhythmStatus = z
  .object({
    relationshipId: Id,
    rhythm: Rhythm.nullable().meta({ description: 'Null until the agreement sets one.' }),
    nextExpectedAt: Timestamp.nullable().meta({ description: 'The next session the rhythm expects, from now; null without a rhythm, once the rule has ended, or once the relationship has ended.' }),
    upcoming: z.array(Timestamp).meta({ description: 'The next sessions the rhythm expects (up to 5).' }),
    expectedSoFar: z.number().int().meta({ description: 'Sessions the rhythm expected from its start until now.' }),
    heldSoFar: z.number().int().meta({ description: 'Sessions held since the rhythm started.' }),
    lastHeldAt: Timestamp.nullable(),
  })
  .meta({ id: 'RhythmStatus', description: 'Sessions held against the agreed rhythm, and the next one it expects.' });
export type RhythmStatus = z.infer<typeof RhythmStatus>;
