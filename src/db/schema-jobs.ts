import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { JOB_KINDS, JOB_STATUSES } from '../vocabulary.ts';
import { tenantKeys } from './tenant-keys.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The scheduler's jobs (src/jobs/): one row per occurrence of a job kind, named by a key unique
 * across the table (`quiet_check:<relationship>:<when>`, `task_due_soon:<task>:<due date>`), so
 * planning the same occurrence twice, by one worker or by two racing, inserts one row. A job is
 * claimed FOR UPDATE SKIP LOCKED and marked done in the transaction of its effect: it runs once.
 */
export const scheduledJobs = pgTable(
  'scheduled_jobs',
  {
    id: uuid('id')
      .notNull()
      .default(sql`gen_random_uuid()`)
      .$defaultFn(() => uuidv7()),
    orgId: text('org_id').notNull(),
    kind: text('kind', { enum: JOB_KINDS }).notNull(),
    key: text('key').notNull(),
    /** What the job is about: a relationship, task, milestone, goal, session or programme. */
    subjectId: uuid('subject_id').notNull(),
    /** The occurrence the job is for, as planned: a due date, a planned time, an end date. */
    payload: jsonb('payload').$type<Record<string, string>>().notNull().default({}),
    runAt: ts('run_at').notNull(),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
  },
  (t) => [
    ...tenantKeys('scheduled_jobs', t),
    uniqueIndex('scheduled_jobs_key_key').on(t.key),
    // The claim reads only due pending jobs: its cost follows the jobs due, not the table.
    index('scheduled_jobs_due_idx').on(t.runAt).where(sql`${t.status} = 'pending'`),
    index('scheduled_jobs_org_subject_idx').on(t.orgId, t.subjectId),
  ],
);
