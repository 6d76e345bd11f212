/**
 * A calendar as data: what the iCalendar transport (src/calendar/) renders. The domain decides what
 * is in a person's calendar; the transport only writes it as RFC 5545 text.
 */
export interface CalendarEvent {
  /** Stable across feeds and rotations, so calendar apps update an event instead of adding another. */
  uid: string;
  summary: string;
  description: string | null;
  /** A timed event: start and end instants. */
  start?: Date;
  end?: Date;
  /** An all-day event: a date, YYYY-MM-DD. */
  day?: string;
  updatedAt: Date;
}

export interface CalendarData {
  name: string;
  events: CalendarEvent[];
}

export const eventUid = (kind: string, id: string) => `${kind}-${id}@tandem`;
