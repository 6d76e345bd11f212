import Fastify, { type FastifyReply } from 'fastify';

/** What the ceiling answers: until a scenario sets its own, a relationship-sized constant. */
let answer: { status: number; body: string } | null = null;

/**
 * The scenario's answer, captured from the app: the ceiling then writes the same bytes the app
 * writes (a list page is 25 relationships, not one), from a ready string, so it pays HTTP for the
 * answer and nothing else.
 */
export function answerWith(status: number, body: string): void {
  answer = { status, body };
}

/** The framework ceiling: fastify with nothing on it but a route answering a constant. */
export async function buildFrameworkCeiling() {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // About the size and shape of a relationship, so serialising it costs what the app's answer would.
  const constant = {
    id: '01935ae7-29fc-7003-8000-000000000000',
    programmeId: '018dec72-21fc-7001-8000-000000000000',
    mentorId: '018e5fa2-a1fc-7002-8000-000000000000',
    menteeId: '018e5fa2-a1fd-7002-8000-0000000009c4',
    stage: 'growth',
    status: 'active',
    version: 6,
    aspiration: 'I want a promotion to team lead',
    agreement: null,
    mentorAcceptedAt: '2024-12-01T00:00:00.000Z',
    menteeAcceptedAt: '2024-12-02T00:00:00.000Z',
    referralMentorId: null,
    stageEnteredAt: '2025-03-25T13:21:59.292Z',
    lastActivityAt: '2025-03-25T13:21:59.292Z',
    endedAt: null,
    createdAt: '2024-11-23T21:21:59.292Z',
    updatedAt: '2025-03-25T13:21:59.292Z',
  };
  const handler = async (_request: unknown, reply: FastifyReply) =>
    answer ? reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body) : constant;
  app.get('/*', handler);
  // POST parses the JSON body like any route would, then answers the same.
  app.post('/*', handler);
  return app;
}
