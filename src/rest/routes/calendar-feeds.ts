import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CalendarFeed, RevokedCalendarFeeds } from '../../domain/schemas/calendar.ts';
import type { Services } from '../../domain/services.ts';
import { IdParams, created, problems } from '../route-kit.ts';

/** A person's iCalendar feed: made (or rotated) and revoked here; read at its secret URL (src/calendar/). */
export async function calendarFeedRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['calendar'];

  app.post(
    '/people/:id/calendar-feed',
    {
      schema: {
        operationId: 'createCalendarFeed',
        summary: "Make (or rotate) a person's calendar feed; its secret URL is shown once",
        description: 'The feed holds the planned sessions of their active relationships and the due dates of those goals, milestones and tasks. Making it again revokes the URL before. A member makes only their own. A person who has left (inactive) gets none (409): leaving revokes their feeds, and reactivation revives none.',
        tags,
        params: IdParams,
        response: { 201: CalendarFeed, ...problems('NOT_FOUND', 'CONFLICT') },
      },
    },
    async (request, reply) => {
      const feed = await services.createCalendarFeed(request.actor, { personId: request.params.id });
      return created(reply, feed.url, feed);
    },
  );

  app.delete(
    '/people/:id/calendar-feed',
    {
      schema: {
        operationId: 'revokeCalendarFeed',
        summary: "Revoke a person's calendar feed: its URL answers 404 from now on",
        tags,
        params: IdParams,
        response: { 200: RevokedCalendarFeeds, ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.revokeCalendarFeed(request.actor, { personId: request.params.id }),
  );
}
