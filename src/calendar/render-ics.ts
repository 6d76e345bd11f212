import ical, { ICalCalendarMethod } from 'ical-generator';
import type { CalendarData } from '../domain/calendar/calendar-data.ts';

export const ICS = 'text/calendar';

/** A calendar as RFC 5545 text: pure presentation; what it holds is the domain's. */
export function renderIcs(calendar: CalendarData, options: { method?: 'publish' } = {}): string {
  const ics = ical({ name: calendar.name, prodId: { company: 'Tandem', product: 'Tandem mentoring', language: 'EN' }, ...(options.method ? { method: ICalCalendarMethod.PUBLISH } : {}) });
  for (const event of calendar.events) {
    const timing = event.day
      ? { start: new Date(`${event.day}T00:00:00Z`), allDay: true }
      : { start: event.start!, end: event.end! };
    ics.createEvent({ id: event.uid, summary: event.summary, description: event.description, stamp: event.updatedAt, ...timing });
  }
  return ics.toString();
}
