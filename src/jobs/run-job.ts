import type { scheduledJobs } from '../db/schema.ts';
import type { Ctx } from '../domain/context.ts';
import { announceProgrammeEnd } from '../domain/nudges/announce-programme-end.ts';
import { completeMatchingRun } from '../domain/matching/complete-matching-run.ts';
import { failMatchingRun } from '../domain/matching/fail-matching-run.ts';
import { checkQuiet } from '../domain/nudges/check-quiet.ts';
import { closeAtProgrammeEnd } from '../domain/nudges/close-at-programme-end.ts';
import { expireInvitation } from '../domain/nudges/expire-invitation.ts';
import { remindDueSoon } from '../domain/nudges/remind-due-soon.ts';
import { remindSessionUpcoming } from '../domain/nudges/remind-session-upcoming.ts';
import type { JobKind } from '../vocabulary.ts';

export type JobRow = typeof scheduledJobs.$inferSelect;

/** Who a job acts as: the scheduler, with an admin's reach in the job's organisation (recorded in history and audit). */
export const SCHEDULER_SUB = 'tandem:scheduler';

const payloadOf = (job: JobRow, name: string): string => {
  const value = job.payload[name];
  if (typeof value !== 'string') throw new Error(`job ${job.key} has no ${name}`);
  return value;
};

/** Each kind is one domain use case, run in the job's transaction (so its effect and "done" commit together). */
const KINDS: Record<JobKind, (ctx: Ctx, job: JobRow) => Promise<unknown>> = {
  quiet_check: (ctx, job) => checkQuiet(ctx, { relationshipId: job.subjectId }),
  expire_invitation: (ctx, job) => expireInvitation(ctx, { relationshipId: job.subjectId }),
  task_due_soon: (ctx, job) => remindDueSoon(ctx, { kind: 'task', id: job.subjectId, dueOn: payloadOf(job, 'dueOn') }),
  milestone_due_soon: (ctx, job) => remindDueSoon(ctx, { kind: 'milestone', id: job.subjectId, dueOn: payloadOf(job, 'dueOn') }),
  goal_due_soon: (ctx, job) => remindDueSoon(ctx, { kind: 'goal', id: job.subjectId, dueOn: payloadOf(job, 'dueOn') }),
  session_upcoming: (ctx, job) => remindSessionUpcoming(ctx, { sessionId: job.subjectId, plannedAt: new Date(payloadOf(job, 'plannedAt')) }),
  programme_ending: (ctx, job) => announceProgrammeEnd(ctx, { programmeId: job.subjectId, endsOn: payloadOf(job, 'endsOn'), phase: 'ending' }),
  programme_ended: (ctx, job) => announceProgrammeEnd(ctx, { programmeId: job.subjectId, endsOn: payloadOf(job, 'endsOn'), phase: 'ended' }),
  programme_end_close: (ctx, job) => closeAtProgrammeEnd(ctx, { relationshipId: job.subjectId, endsOn: payloadOf(job, 'endsOn') }),
  matching_run: (ctx, job) => completeMatchingRun(ctx, { runId: job.subjectId }),
};

export const runJob = (ctx: Ctx, job: JobRow): Promise<unknown> => KINDS[job.kind](ctx, job);

/** What a kind does when its job has failed every attempt: a job someone waits on says so. */
const GIVE_UP: Partial<Record<JobKind, (ctx: Ctx, job: JobRow, failure: string) => Promise<unknown>>> = {
  matching_run: (ctx, job, failure) => failMatchingRun(ctx, { runId: job.subjectId, failure }),
};

export const giveUpJob = (ctx: Ctx, job: JobRow, failure: string): Promise<unknown> => GIVE_UP[job.kind]?.(ctx, job, failure) ?? Promise.resolve();
