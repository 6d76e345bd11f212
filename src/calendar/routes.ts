import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CalendarServices } from '../domain/services.ts';
import { ICS, renderIcs } from './render-ics.ts';

// The problem document the one error handler writes (RFC 9457), described here without REST's component.
const Problem = z.looseObject({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string(), code: z.string() });
const icsResponse = { description: 'An iCalendar (RFC 5545) document.', content: { [ICS]: { schema: z.string() } } };

/**
 * A person's calendar feed, for Outlook, Google Calendar and Apple Calendar to subscribe to: no
 * bearer token (they cannot send one); the secret in the URL is the only key. Outside /v1.
 */
export async function calendarFeedRoutes(fastify: FastifyInstance, { calendar }: { calendar: CalendarServices }) {
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/calendar/:feed',
    {
      schema: {
        operationId: 'readCalendarFeed',
        summary: "A person's calendar feed: planned sessions, and due dates of goals, milestones and tasks",
        description: 'Made with POST /v1/people/{id}/calendar-feed, which answers its URL once. No Authorization header: the secret in the URL is the key; a revoked or unknown feed is 404.',
        tags: ['calendar'],
        security: [],
        params: z.strictObject({ feed: z.string().max(100).meta({ description: 'The secret, followed by .ics' }) }),
        response: { 200: icsResponse, 400: Problem, 404: Problem, 429: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      const data = await calendar.readCalendarFeed({ secret: request.params.feed.replace(/\.ics$/, '') });
      // Calendar apps poll; the feed is private to whoever holds the URL.
      reply.header('cache-control', 'private, max-age=300');
      return reply.type(`${ICS}; charset=utf-8`).send(renderIcs(data, { method: 'publish' }));
    },
  );
}
