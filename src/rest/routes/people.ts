import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../domain/services.ts';
import { BatchUpsertPeopleInput, BatchUpsertResult, CreatePersonInput, ListPeopleQuery, Person, PersonPage, UpdatePersonInput, UpsertPersonInput } from '../../domain/schemas/person.ts';
import { ErasureResult, PersonalDataExport } from '../../domain/schemas/personal-data.ts';
import { IdParams, IdempotencyHeaders, created, problems } from '../route-kit.ts';
import { bulkhead } from '../bulkhead.ts';

export async function peopleRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  // Batches of up to 1,000 people: as many at a time as there are cores are read and written, the
  // others wait their turn (bulkhead.ts). A batch is mostly CPU (parsing, rows): on 2 cores, 2 at a
  // time gave the same batches a second as 4, at 186 MB peak RSS instead of 197 (bench/FINDINGS.md).
  const bulkBatches = bulkhead({ concurrency: Math.max(2, availableParallelism()), queue: 64 });
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];

  app.post(
    '/people',
    {
      schema: {
        operationId: 'createPerson',
        summary: 'Add a person',
        tags,
        headers: IdempotencyHeaders,
        body: CreatePersonInput,
        response: { 201: Person, ...problems('FORBIDDEN', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const person = await services.createPerson(request.actor, request.body);
      return created(reply, `/v1/people/${person.id}`, person);
    },
  );

  app.put(
    '/people/external/:externalId',
    {
      schema: {
        operationId: 'upsertPersonByExternalId',
        summary: 'Create or replace the person with this HRIS id (HR sync)',
        tags,
        params: z.strictObject({ externalId: z.string().min(1).max(200) }),
        body: UpsertPersonInput,
        response: { 200: Person, 201: Person, ...problems('FORBIDDEN') },
      },
    },
    async (request, reply) => {
      const { person, created: isNew } = await services.upsertPerson(request.actor, { externalId: request.params.externalId, person: request.body });
      return isNew ? created(reply, `/v1/people/${person.id}`, person) : person;
    },
  );

  app.post(
    '/people/batch',
    {
      schema: {
        operationId: 'batchUpsertPeople',
        summary: 'Create or replace up to 1,000 people by externalId, all or nothing',
        tags,
        headers: IdempotencyHeaders,
        body: BatchUpsertPeopleInput,
        response: { 200: BatchUpsertResult, ...problems('FORBIDDEN', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
      bodyLimit: 4 * 1024 * 1024,
      onRequest: bulkBatches,
    },
    async (request) => services.batchUpsertPeople(request.actor, request.body),
  );

  app.get(
    '/people',
    {
      schema: {
        operationId: 'listPeople',
        summary: 'List people (organisation roles)',
        tags,
        querystring: ListPeopleQuery,
        response: { 200: PersonPage, ...problems('FORBIDDEN') },
      },
    },
    async (request) => services.listPeople(request.actor, request.query),
  );

  app.get(
    '/people/:id',
    { schema: { operationId: 'getPerson', summary: 'Read a person', tags, params: IdParams, response: { 200: Person, ...problems('NOT_FOUND') } } },
    async (request) => services.getPerson(request.actor, request.params),
  );

  app.patch(
    '/people/:id',
    {
      schema: {
        operationId: 'updatePerson',
        summary: 'Change some fields of a person',
        tags,
        params: IdParams,
        body: UpdatePersonInput,
        response: { 200: Person, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT') },
      },
    },
    async (request) => services.updatePerson(request.actor, { id: request.params.id, changes: request.body }),
  );

  app.get(
    '/people/:id/export',
    {
      schema: {
        operationId: 'exportPersonalData',
        summary: 'Everything Tandem holds about a person (GDPR art. 15 and 20); audited',
        tags,
        params: IdParams,
        response: { 200: PersonalDataExport, ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.exportPersonalData(request.actor, request.params),
  );

  app.post(
    '/people/:id/erase',
    {
      schema: {
        operationId: 'erasePersonalData',
        summary: "Replace a person's personal data with tombstones (GDPR art. 17), keeping ids, history and aggregates; audited",
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        response: { 200: ErasureResult, ...problems('NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request) => services.erasePersonalData(request.actor, request.params),
  );
}
