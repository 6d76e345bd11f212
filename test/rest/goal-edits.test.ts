import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, seedWorld, smartGoalInput } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';

// Goal edits keep identity: parts named by id are kept, and ids that name nothing of this goal are refused.
const { app, auth, database } = await buildTestApp(t);

t.test('an edit names only parts of its own goal, each once; a new goal names none', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('goal-edits') }));
  const world = await seedWorld(api);
  const rel = world.relationship.id;
  const other = await api.must('POST', `/v1/relationships/${rel}/goals`, smartGoalInput({ title: 'Another goal' }));
  const url = `/v1/relationships/${rel}/goals/${world.goal.id}`;
  const before = await rowCounts(database);

  const foreign = await api.call('PATCH', url, { tasks: [{ id: other.tasks[0].id, title: 'Stolen task' }] });
  t.equal(foreign.status, 400, "another goal's task is not one of this goal's");
  t.same(foreign.body.errors, [{ path: 'tasks.0.id', message: "is not one of this goal's tasks" }]);
  const twice = await api.call('PATCH', url, { milestones: world.goal.milestones.map(() => ({ id: world.goal.milestones[0].id, title: 'Twice' })) });
  t.equal(twice.status, 400);
  t.same(twice.body.errors, [{ path: 'milestones.1.id', message: 'is named twice' }]);
  const created = await api.call('POST', `/v1/relationships/${rel}/goals`, smartGoalInput({ metrics: [{ id: world.goal.metrics[0].id, name: 'Copied', target: 1 }] }));
  t.equal(created.status, 400);
  t.same(created.body.errors, [{ path: 'metrics.0.id', message: 'names a part of an existing goal; a new goal has none yet' }]);
  t.same(await rowCounts(database), before, 'refused edits change nothing');

  // Without ids, a part of the same title is kept: integrations that send whole lists keep completions too.
  await api.must('POST', `${url}/tasks/${world.goal.tasks[0].id}/complete`, { note: 'done' });
  const resent = await api.must('PATCH', url, { tasks: [{ title: 'A new first task' }, { title: world.goal.tasks[0].title }] });
  t.same(resent.tasks.map((task: { title: string }) => task.title), ['A new first task', world.goal.tasks[0].title]);
  t.equal(resent.tasks[1].id, world.goal.tasks[0].id, 'the task of the same title kept its id');
  t.ok(resent.tasks[1].doneAt, 'and its completion');
  const emptied = await api.must('PATCH', url, { tasks: [] });
  t.same(emptied.taskProgress, { done: 0, total: 0 }, 'parts left out are removed');
});

t.test('a goal feeds into a goal of its own relationship, never into itself or its own sub-goals', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('goal-lineage') }));
  const world = await seedWorld(api);
  const elsewhere = await seedWorld(api);
  const rel = world.relationship.id;
  const before = await rowCounts(database);

  const foreign = await api.call('POST', `/v1/relationships/${rel}/goals`, smartGoalInput({ parentGoalId: elsewhere.goal.id }));
  t.equal(foreign.status, 400, "another relationship's goal is refused");
  t.same(foreign.body.errors, [{ path: 'parentGoalId', message: 'is not a goal of this relationship' }]);
  t.same(await rowCounts(database), before, 'and nothing is written');

  const child = await api.must('POST', `/v1/relationships/${rel}/goals`, smartGoalInput({ title: 'Feeds the first', parentGoalId: world.goal.id }));
  t.equal(child.parentGoalId, world.goal.id);
  const grandchild = await api.must('POST', `/v1/relationships/${rel}/goals`, smartGoalInput({ title: 'Feeds the second', parentGoalId: child.id }));
  const self = await api.call('PATCH', `/v1/relationships/${rel}/goals/${child.id}`, { parentGoalId: child.id });
  t.same([self.status, self.body.errors], [400, [{ path: 'parentGoalId', message: 'would make a cycle' }]], 'not itself');
  const cycle = await api.call('PATCH', `/v1/relationships/${rel}/goals/${world.goal.id}`, { parentGoalId: grandchild.id });
  t.same([cycle.status, cycle.body.errors], [400, [{ path: 'parentGoalId', message: 'would make a cycle' }]], 'nor one of its own sub-goals');
  const cleared = await api.must('PATCH', `/v1/relationships/${rel}/goals/${grandchild.id}`, { parentGoalId: null });
  t.equal(cleared.parentGoalId, null, 'the link can be removed');
  t.equal(cleared.status, 'draft');
});
