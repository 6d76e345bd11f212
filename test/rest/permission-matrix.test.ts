import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { PERMISSIONS, type Permission } from '../../src/domain/permissions.ts';
import type { Role } from '../../src/vocabulary.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { BODIES, client, personInput, seedAdminWorld } from '../helpers/fixtures.ts';

// Route × caller × organisation, generated from openapi.yaml's route table; the expected
// answer comes from the permission matrix (src/domain/permissions.ts), not from this file.
const { app, auth, database } = await buildTestApp(t);
const document = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
};
const operations = Object.entries(document.paths).filter(([template]) => template.startsWith('/v1/')).flatMap(([template, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ template, method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', op })),
);

interface Caller {
  name: string;
  roles: Role[];
  sub?: string;
  scope?: string;
  foreign?: boolean;
  party?: boolean;
}

function expectation(permission: Permission, caller: Caller, hasId: boolean): 'allowed' | 403 | 404 {
  if (caller.foreign) return hasId ? 404 : 'allowed';
  if (!caller.roles.some((role) => permission.roles.includes(role))) return 403;
  if (caller.scope !== undefined && permission.scope && !caller.scope.split(' ').includes(permission.scope)) return 403;
  if (caller.roles.includes('member') && hasId && permission.members && !caller.party) return 404;
  return 'allowed';
}

t.test('every operation in openapi.yaml has a row in the permission matrix', async (t) => {
  for (const { op } of operations) t.ok(op.operationId in PERMISSIONS, `${op.operationId} is in src/domain/permissions.ts`);
});

for (const { template, method, op } of operations) {
  const permission = (PERMISSIONS as Record<string, Permission>)[op.operationId];
  if (!permission) continue;
  t.test(`${op.operationId} (${method} ${template})`, async (t) => {
    const org = uniqueOrg('matrix');
    const memberSub = `MEMBER-${Math.random().toString(36).slice(2, 8)}`;
    const admin = client(app, auth({ org }));
    let world = await seedAdminWorld(admin, database, { menteeExternalId: memberSub });
    let partySub = memberSub;
    const callers: Caller[] = [
      { name: 'admin', roles: ['admin'] },
      { name: 'manager', roles: ['manager'] },
      { name: 'integration (all scopes)', roles: ['integration'] },
      { name: 'integration (relationships:read only)', roles: ['integration'], scope: 'relationships:read' },
      { name: 'member who is the mentee', roles: ['member'], sub: memberSub, party: true },
      { name: 'member of another pair', roles: ['member'], sub: 'someone-else' },
      { name: 'admin of another organisation', roles: ['admin'], foreign: true },
    ];
    const idFor = (path: string) =>
      path.startsWith('/v1/programmes')
        ? world.programme.id
        : path.startsWith('/v1/people')
          ? world.mentee.id
          : path.startsWith('/v1/clients')
            ? world.integrationClient.id
            : path.startsWith('/v1/webhook-endpoints')
              ? world.endpoint.id
              : path.startsWith('/v1/lrs-configurations')
                ? world.lrs.id
                : path.startsWith('/v1/events')
                  ? world.event.id
                  : world.relationship.id;
    for (const caller of callers) {
      // A delete succeeds once: each caller gets a fresh world to delete from.
      // The member who is the mentee is the mentee of the world they act on.
      if (method === 'DELETE') {
        partySub = `${memberSub}-${caller.name.length}-${Math.random()}`;
        world = await seedAdminWorld(admin, database, { menteeExternalId: partySub });
      }
      const worldIds = [world.matchingRun.id, world.programme.id, world.mentor.id, world.mentee.id, world.relationship.id, world.integrationClient.id, world.endpoint.id, world.lrs.id, world.event.id];
      const url = template
        .replace('{id}', idFor(template))
        .replace('{goalId}', world.goal.id)
        .replace('{milestoneId}', world.goal.milestones[0].id)
        .replace('{sessionId}', world.session.id)
        .replace('{taskId}', world.goal.tasks[0].id)
        .replace('{metricId}', world.goal.metrics[0].id)
        .replace('{key}', 'classic-4')
        .replace('{personId}', world.mentee.id)
        .replace('{runId}', world.matchingRun.id)
        .replace('{externalId}', memberSub);
      const body = op.requestBody
        ? ((caller.roles.includes('member') ? MEMBER_BODIES[op.operationId]?.() : undefined) ??
          BODIES[op.operationId]?.() ??
          (op.operationId === 'batchUpsertPeople' ? { people: [personInput({ externalId: memberSub })] } : op.operationId === 'upsertPersonByExternalId' ? personInput() : op.operationId === 'openRelationship' ? { programmeId: world.programme.id, mentorId: world.mentor.id, menteeId: world.mentee.id } : op.operationId === 'createPerson' ? personInput() : op.operationId === 'createProgramme' ? { name: 'Matrix' } : op.operationId === 'checkSmart' ? { goal: { title: 'x' }, relationshipId: world.relationship.id } : {}))
        : undefined;
      const token = auth({ org: caller.foreign ? uniqueOrg('foreign') : org, roles: caller.roles, sub: caller.party ? partySub : (caller.sub ?? caller.name) });
      const headers = caller.scope === undefined ? token : { authorization: signedWithScope(caller, org) };
      const res = await client(app, headers).call(method, url, body);
      // A request naming this organisation's rows (in its path or body) is about them.
      const referencesWorld = worldIds.some((id) => url.includes(id) || JSON.stringify(body ?? '').includes(id));
      const expected = expectation(permission, caller, referencesWorld);
      if (expected === 'allowed') t.notOk([401, 403, 404].includes(res.status), `${caller.name}: allowed (got ${res.status} ${res.body?.detail ?? ''})`);
      else t.equal(res.status, expected, `${caller.name}: ${expected} (${res.body?.detail ?? ''})`);
    }
  });
}

/** Members act as their own party: the bodies they send name no other. */
const MEMBER_BODIES: Record<string, () => unknown> = {
  acceptFit: () => ({}),
  recordReflection: () => ({ kind: 'progress', text: 'Going well.' }),
  createGoal: () => ({ title: 'A draft from the mentee' }),
};

function signedWithScope(caller: Caller, org: string): string {
  // The helper's auth() has no scope claim; sign this one through the same development signer.
  return `Bearer ${signer({ org, roles: caller.roles, sub: caller.name, scope: caller.scope })}`;
}
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { testConfig } from '../helpers/app.ts';
const signer = (claims: { org: string; roles: Role[]; sub: string; scope?: string }) => signDevelopmentToken(testConfig(), claims);
