import { Worker } from 'node:worker_threads';
import type { Assignment, AssignmentProblem } from './highs-solve.ts';
import { packProblem, type SolveReply } from './packing.ts';

export { assignmentModel, greedyAssignment, solveAssignmentInThread, type Assignment, type AssignmentProblem, type Candidate } from './highs-solve.ts';

/** How long a solve may take when nothing configured it (MATCHING_SOLVE_TIMEOUT). */
export const DEFAULT_SOLVE_TIMEOUT_MS = 120_000;

/** A solve that outlived its time: the worker thread was terminated (and is replaced for the next solve). */
export class SolveTimeoutError extends Error {
  override name = 'SolveTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`HiGHS did not solve the assignment within ${timeoutMs / 1000} s (MATCHING_SOLVE_TIMEOUT); the solve was abandoned`);
  }
}

// The worker's file: beside this module when it runs from source (.ts, under tsx or the test
// loader, which the worker inherits through execArgv), beside the bundle in dist/ when built.
const workerUrl = import.meta.url.endsWith('.ts') ? new URL('./solver-worker.ts', import.meta.url) : new URL('./solver-worker.mjs', import.meta.url);

let worker: Worker | undefined;
/** The open users' limits, latest last: the latest applies; with none, the default. */
const users: { timeoutMs: number }[] = [];
let nextId = 0;
/** One solve at a time on the one worker: each waits for the one before, so its time starts when it does. */
let queue: Promise<unknown> = Promise.resolve();

const currentTimeoutMs = () => users.at(-1)?.timeoutMs ?? DEFAULT_SOLVE_TIMEOUT_MS;

/**
 * Declares a user of the solver (the server, `npm run worker`) and its time limit per solve; the
 * returned close ends the worker thread once the last user has closed. Without any user, solves
 * still run (the worker then keeps the process alive only while it solves), with the default limit.
 */
export function openSolver(options: { timeoutMs?: number } = {}): () => Promise<void> {
  const user = { timeoutMs: options.timeoutMs ?? DEFAULT_SOLVE_TIMEOUT_MS };
  users.push(user);
  return async () => {
    const at = users.indexOf(user);
    if (at < 0) return;
    users.splice(at, 1);
    if (users.length === 0) await closeWorker();
  };
}

async function closeWorker(): Promise<void> {
  const closing = worker;
  worker = undefined;
  if (closing) await closing.terminate();
}

/**
 * The best assignment by HiGHS, solved in the solver's worker thread, so the event loop that
 * answers requests is free meanwhile: a model in, an assignment out, the same as on this thread
 * (solveAssignmentInThread). The thread is started on the first solve and reused; a solve that
 * takes longer than the configured time is abandoned (SolveTimeoutError), its thread terminated.
 */
export function solveAssignment(problem: AssignmentProblem): Promise<Assignment> {
  const solved = queue.then(() => solveOnWorker(problem));
  queue = solved.catch(() => undefined);
  return solved;
}

function solveOnWorker(problem: AssignmentProblem): Promise<Assignment> {
  const { packed, transfer } = packProblem(problem);
  const id = ++nextId;
  const thread = (worker ??= new Worker(workerUrl));
  const limit = currentTimeoutMs();
  thread.ref();
  return new Promise<Assignment>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
      // Idle, the thread does not keep the process alive.
      thread.unref();
    };
    const discard = () => {
      if (worker === thread) worker = undefined;
      void thread.terminate();
    };
    const timer = setTimeout(() => {
      done();
      discard();
      reject(new SolveTimeoutError(limit));
    }, limit);
    const onMessage = (reply: SolveReply) => {
      if (reply.id !== id) return;
      done();
      if (reply.ok) resolve({ ...reply.assignment, chosen: Array.from(reply.assignment.chosen) });
      else reject(new Error(reply.message));
    };
    const onError = (error: Error) => {
      done();
      discard();
      reject(error);
    };
    const onExit = (code: number) => {
      done();
      if (worker === thread) worker = undefined;
      reject(new Error(`the solver's thread stopped (exit code ${code}) before it answered`));
    };
    thread.on('message', onMessage);
    thread.once('error', onError);
    thread.once('exit', onExit);
    thread.postMessage({ id, problem: packed }, transfer);
  });
}
