import Fastify from 'fastify';

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
  app.get('/*', async () => constant);
  // POST parses the JSON body like any route would, then answers the same constant.
  app.post('/*', async () => constant);
  return app;
}
