import type { FastifyBodyParser, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scimPatch, type ScimPatchOperation, type ScimResource as PatchableResource } from 'scim-patch';
import { authenticate } from '../auth/authenticate.ts';
import type { PerTokenLimit } from '../auth/per-token-limit.ts';
import { DomainError } from '../domain/errors.ts';
import type { Services } from '../domain/services.ts';
import { listOf, schemaDocuments, serviceProviderConfig, userResourceType } from './discovery.ts';
import { ScimRefusal, handleScimError, invalidSyntax, invalidValue, sendScimError } from './errors.ts';
import { parseUserFilter, parseUserSort } from './filter.ts';
import { MAX_RESULTS, SCHEMA, SCIM_CONTENT_TYPE } from './schemas.ts';
import { etagOf, fromScimUser, toScimUser, type ScimResource } from './user-resource.ts';

export interface ScimOptions {
  services: Services;
  /** The per-token budget REST and GraphQL spend from too. */
  perTokenLimit: PerTokenLimit;
  /** The app's one JSON body parser (rest/json-body.ts): UTF-8 only. */
  jsonBody: FastifyBodyParser<Buffer>;
}

// Every route is left out of openapi.yaml: SCIM describes itself (/ServiceProviderConfig,
// /ResourceTypes, /Schemas), and identity providers speak RFC 7644, not Tandem's REST conventions.
const hidden = { schema: { hide: true } };
const PATCH_RETRIES = 3;

/**
 * SCIM 2.0 at /scim/v2 (RFC 7643, RFC 7644): a transport like REST and GraphQL. It parses SCIM,
 * calls the directory use cases of domain/people, and presents SCIM resources; refusals leave as
 * SCIM error documents. Tokens need the `scim` scope (domain/permissions.ts).
 */
export async function scimApi(app: FastifyInstance, { services, perTokenLimit, jsonBody }: ScimOptions) {
  // RFC 7644 §3.1: requests and answers are application/scim+json (plain JSON is accepted too), read
  // by the app's JSON parser; bytes that are not UTF-8 are a syntax error in SCIM's terms.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/scim+json', 'application/json'], { parseAs: 'buffer' }, (request, body, done) =>
    jsonBody(request, body as Buffer, (error, value) => {
      if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') done(invalidSyntax(error.message), undefined);
      else done(error, value);
    }),
  );
  app.setErrorHandler(handleScimError);
  app.setNotFoundHandler((request, reply) => sendScimError(reply, { status: 404, detail: `No SCIM endpoint ${request.method} ${request.url.split('?')[0]}.` }));
  app.addHook('onRequest', authenticate);
  app.addHook('onRequest', perTokenLimit.hook);
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('content-type')?.toString().startsWith('application/json')) reply.type(SCIM_CONTENT_TYPE);
    return payload;
  });

  const base = (request: FastifyRequest) => `${request.protocol}://${request.host}/scim/v2`;
  const present = (request: FastifyRequest, reply: FastifyReply, person: Parameters<typeof toScimUser>[0]) => {
    reply.header('etag', etagOf(person.version)).type(SCIM_CONTENT_TYPE);
    return toScimUser(person, `${base(request)}/Users/${person.id}`);
  };

  app.get('/ServiceProviderConfig', hidden, async (request) => serviceProviderConfig(base(request)));
  app.get('/ResourceTypes', hidden, async (request) => listOf([userResourceType(base(request))]));
  app.get('/ResourceTypes/User', hidden, async (request) => userResourceType(base(request)));
  app.get('/Schemas', hidden, async (request) => listOf(schemaDocuments(base(request))));
  app.get<{ Params: { id: string } }>('/Schemas/:id', hidden, async (request, reply) => {
    const schema = schemaDocuments(base(request)).find((document) => document.id === request.params.id);
    return schema ?? sendScimError(reply, { status: 404, detail: `No schema ${request.params.id}.` });
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/Users', hidden, async (request) => {
    const query = request.query;
    const startIndex = Math.max(1, integerParameter(query.startIndex, 'startIndex') ?? 1);
    const count = Math.min(MAX_RESULTS, Math.max(0, integerParameter(query.count, 'count') ?? 100));
    const filter = query.filter === undefined ? undefined : parseUserFilter(query.filter);
    const sort = parseUserSort(query.sortBy, query.sortOrder);
    const page = await services.listDirectoryPeople(request.actor, { startIndex, count, ...(filter ? { filter } : {}), ...sort });
    const resources = page.people.map((person) => toScimUser(person, `${base(request)}/Users/${person.id}`));
    return { schemas: [SCHEMA.listResponse], totalResults: page.total, startIndex: page.startIndex, itemsPerPage: resources.length, Resources: resources };
  });

  app.post<{ Body: unknown }>('/Users', hidden, async (request, reply) => {
    const { person } = await services.provisionPerson(request.actor, fromScimUser(request.body));
    const resource = present(request, reply, person);
    reply.code(201).header('location', (resource.meta as { location: string }).location);
    return resource;
  });

  app.get<{ Params: { id: string } }>('/Users/:id', hidden, async (request, reply) => {
    const person = await services.getDirectoryPerson(request.actor, { id: request.params.id });
    return present(request, reply, person);
  });

  app.put<{ Params: { id: string }; Body: unknown }>('/Users/:id', hidden, async (request, reply) => {
    const expectedVersion = ifMatch(request);
    const person = await services.replaceDirectoryPerson(request.actor, {
      id: request.params.id,
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      person: fromScimUser(request.body),
    });
    return present(request, reply, person);
  });

  app.patch<{ Params: { id: string }; Body: unknown }>('/Users/:id', hidden, async (request, reply) => {
    const operations = patchOperations(request.body);
    const expectedVersion = ifMatch(request);
    // Read, apply the operations (scim-patch), replace at the version read: a concurrent change
    // makes the replace fail with VERSION_CONFLICT, and without If-Match the patch is applied again
    // to the new state, so no change is lost.
    for (let attempt = 1; ; attempt++) {
      const current = await services.getDirectoryPerson(request.actor, { id: request.params.id });
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new DomainError('VERSION_CONFLICT', `The user is at version ${current.version}, not ${expectedVersion}.`);
      }
      const patched = applyPatch(toScimUser(current, ''), operations);
      try {
        const person = await services.replaceDirectoryPerson(request.actor, { id: current.id, expectedVersion: current.version, person: fromScimUser(patched) });
        return present(request, reply, person);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'VERSION_CONFLICT') || expectedVersion !== undefined || attempt >= PATCH_RETRIES) throw error;
      }
    }
  });

  app.delete<{ Params: { id: string } }>('/Users/:id', hidden, async (request, reply) => {
    if (ifMatch(request) !== undefined) {
      const current = await services.getDirectoryPerson(request.actor, { id: request.params.id });
      if (current.version !== ifMatch(request)) throw new DomainError('VERSION_CONFLICT', `The user is at version ${current.version}.`);
    }
    await services.deprovisionPerson(request.actor, { id: request.params.id });
    return reply.code(204).send();
  });
}

function integerParameter(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d{1,9}$/.test(value)) throw invalidValue(`${name} must be an integer.`);
  return Number(value);
}

/** `If-Match: W/"3"` (or `"3"`, or `*`) → 3 or undefined. */
function ifMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match) throw invalidValue('If-Match must be an ETag this service issued, such as W/"3".');
  return Number(match[1]);
}

function patchOperations(body: unknown): ScimPatchOperation[] {
  const request = body as { schemas?: unknown; Operations?: unknown } | undefined;
  if (!request || typeof request !== 'object' || !Array.isArray(request.Operations) || request.Operations.length === 0) {
    throw invalidSyntax(`A PATCH body is a ${SCHEMA.patchOp} message with a list of Operations.`);
  }
  if (Array.isArray(request.schemas) && !request.schemas.includes(SCHEMA.patchOp)) throw invalidSyntax(`schemas must include ${SCHEMA.patchOp}.`);
  if (request.Operations.length > 100) throw new ScimRefusal(400, 'tooMany', 'At most 100 operations in one PATCH.');
  return request.Operations.flatMap((operation: unknown) => {
    if (!operation || typeof operation !== 'object') throw invalidSyntax('Each operation is an object with op, path and value.');
    const { op, path, value } = operation as { op?: unknown; path?: unknown; value?: unknown };
    if (typeof op !== 'string' || !/^(add|replace|remove)$/i.test(op)) throw invalidSyntax('op must be add, replace or remove.');
    if (path !== undefined && typeof path !== 'string') throw invalidSyntax('path must be a string.');
    // A path-less add or replace whose value names attributes by path ("name.givenName", or an
    // extension URN and attribute, as Entra ID sends) is the same operation once per path.
    if (path === undefined && value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      const byPath = entries.filter(([key]) => key.includes('.') || key.startsWith('urn:'));
      const plain = Object.fromEntries(entries.filter(([key]) => !(key.includes('.') || key.startsWith('urn:'))));
      return [
        ...(Object.keys(plain).length ? [{ op, value: plain } as ScimPatchOperation] : []),
        ...byPath.map(([key, v]) => ({ op, path: key, value: v }) as ScimPatchOperation),
      ];
    }
    return [{ op, ...(path !== undefined ? { path } : {}), ...(value !== undefined ? { value } : {}) } as ScimPatchOperation];
  });
}

function applyPatch(resource: ScimResource, operations: ScimPatchOperation[]): ScimResource {
  try {
    return scimPatch(resource as unknown as PatchableResource, operations, { mutateDocument: false }) as unknown as ScimResource;
  } catch (error) {
    const scimCode = (error as { scimCode?: string }).scimCode;
    const scimType = scimCode === 'invalidPath' || scimCode === 'noTarget' || scimCode === 'invalidSyntax' ? scimCode : 'invalidValue';
    throw new ScimRefusal(400, scimType, `The PATCH cannot be applied: ${(error as Error).message}`);
  }
}
