import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

export const CalendarFeed = z
  .object({
    id: Id,
    personId: Id,
    secret: z.string().meta({ description: 'Shown once: it is the only key to the feed. Rotate by creating the feed again; revoke with DELETE.' }),
    url: z.string().meta({ description: 'The feed, relative to this API (GET, no token: the secret in it is the key). Subscribe to it from Outlook, Google Calendar or Apple Calendar.', example: '/calendar/3q2-7wEj….ics' }),
    createdAt: Timestamp,
  })
  .meta({ id: 'CalendarFeed', description: "A person's iCalendar feed: planned sessions, and due dates of goals, milestones and tasks." });
export type CalendarFeed = z.infer<typeof CalendarFeed>;

export const RevokedCalendarFeeds = z.object({ revoked: z.number().int().meta({ description: 'How many live feeds were revoked (0 or 1).' }) }).meta({ id: 'RevokedCalendarFeeds' });
