import { and, eq, inArray } from 'drizzle-orm';
import { goalMetrics, milestones, tasks } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { invalid, type FieldError } from '../errors.ts';
import type { GoalDraftInput } from '../schemas/goal.ts';

type Input = Partial<GoalDraftInput>;
type PartTable = typeof goalMetrics | typeof milestones | typeof tasks;

interface PartKind<Item, Values> {
  field: 'metrics' | 'milestones' | 'tasks';
  table: PartTable;
  /** What an item without an id is matched by, among the parts no id claimed: a metric's name, a milestone's or task's title. */
  label(item: Item | Values): string;
  values(item: Item): Values;
}

const metricKind: PartKind<NonNullable<Input['metrics']>[number], { name: string; baseline: number | null; target: number | null; unit: string | null }> = {
  field: 'metrics',
  table: goalMetrics,
  label: (item) => item.name,
  values: (m) => ({ name: m.name, baseline: m.baseline ?? null, target: m.target ?? null, unit: m.unit ?? null }),
};
const milestoneKind: PartKind<NonNullable<Input['milestones']>[number], { title: string; dueOn: string | null }> = {
  field: 'milestones',
  table: milestones,
  label: (item) => item.title,
  values: (m) => ({ title: m.title, dueOn: m.dueOn ?? null }),
};
const taskKind: PartKind<NonNullable<Input['tasks']>[number], { title: string; dueOn: string | null; resources: string[] }> = {
  field: 'tasks',
  table: tasks,
  label: (item) => item.title,
  values: (t) => ({ title: t.title, dueOn: t.dueOn ?? null, resources: t.resources ?? [] }),
};

/** A new goal's metrics, milestones and tasks; ids name parts of an existing goal, so a new one takes none. */
export async function insertGoalParts(ctx: Ctx, goalId: string, input: GoalDraftInput): Promise<void> {
  const named = (['metrics', 'milestones', 'tasks'] as const).flatMap((field) =>
    (input[field] ?? []).flatMap((item, i): FieldError[] => (item.id ? [{ path: `${field}.${i}.id`, message: 'names a part of an existing goal; a new goal has none yet' }] : [])),
  );
  if (named.length) throw invalid('A new goal has no parts to name by id.', named);
  await Promise.all([syncParts(ctx, goalId, metricKind, input.metrics), syncParts(ctx, goalId, milestoneKind, input.milestones), syncParts(ctx, goalId, taskKind, input.tasks)]);
}

/**
 * Edits whichever of a goal's metrics, milestones and tasks the input names, keeping identity: an
 * item with an id updates that part (a milestone or task keeps its doneAt, a metric its readings); an
 * item without one takes over an unclaimed part of the same name or title, or is added; parts left
 * unnamed are removed. Order follows the input.
 */
export async function updateGoalParts(ctx: Ctx, goalId: string, input: Input): Promise<void> {
  await syncParts(ctx, goalId, metricKind, input.metrics);
  await syncParts(ctx, goalId, milestoneKind, input.milestones);
  await syncParts(ctx, goalId, taskKind, input.tasks);
}

async function syncParts<Item extends { id?: string | undefined }, Values extends object>(
  ctx: Ctx,
  goalId: string,
  kind: PartKind<Item, Values>,
  items: Item[] | undefined,
): Promise<void> {
  if (!items) return;
  const org = ctx.actor.org;
  const table = kind.table;
  const existing = (await ctx.db
    .select()
    .from(table)
    .where(and(eq(table.orgId, org), eq(table.goalId, goalId)))) as unknown as ({ id: string; position: number } & Values)[];
  const byId = new Map(existing.map((row) => [row.id, row]));
  const claimed = new Map<number, string>();
  const errors: FieldError[] = [];
  items.forEach((item, i) => {
    if (!item.id) return;
    if (!byId.has(item.id)) errors.push({ path: `${kind.field}.${i}.id`, message: `is not one of this goal's ${kind.field}` });
    else if ([...claimed.values()].includes(item.id)) errors.push({ path: `${kind.field}.${i}.id`, message: 'is named twice' });
    else claimed.set(i, item.id);
  });
  if (errors.length) throw invalid(`Some ${kind.field} name parts this goal does not have.`, errors);
  const taken = new Set(claimed.values());
  items.forEach((item, i) => {
    if (item.id) return;
    const same = existing.find((row) => !taken.has(row.id) && kind.label(row) === kind.label(item));
    if (same) {
      claimed.set(i, same.id);
      taken.add(same.id);
    }
  });

  const removed = existing.filter((row) => !taken.has(row.id)).map((row) => row.id);
  if (removed.length) await ctx.db.delete(table).where(and(eq(table.orgId, org), inArray(table.id, removed)));
  const added = items.flatMap((item, position) => (claimed.has(position) ? [] : [{ ...kind.values(item), orgId: org, goalId, position }]));
  const changes = items.flatMap((item, position) => {
    const id = claimed.get(position);
    if (id === undefined) return [];
    const row = byId.get(id)!;
    const values = { ...kind.values(item), position };
    const changed = Object.entries(values).some(([key, value]) => JSON.stringify(value) !== JSON.stringify((row as Record<string, unknown>)[key]));
    return changed ? [{ id, values }] : [];
  });
  await Promise.all([
    added.length ? ctx.db.insert(table).values(added as never) : undefined,
    ...changes.map(({ id, values }) => ctx.db.update(table).set(values as never).where(and(eq(table.orgId, org), eq(table.id, id)))),
  ]);
}
