// The solver's worker thread (solve-assignment.ts starts it): takes one packed assignment problem
// at a time, solves it with HiGHS on this thread, and answers the packed assignment. Bundled as
// dist/solver-worker.mjs beside dist/server.mjs and dist/worker.mjs (scripts/build.mjs).
import { parentPort } from 'node:worker_threads';
import { solveAssignmentInThread } from './highs-solve.ts';
import { unpackProblem, type SolveReply, type SolveRequest } from './packing.ts';

const port = parentPort;
if (!port) throw new Error('solver-worker.ts runs as a worker thread (solve-assignment.ts starts it)');

port.on('message', (request: SolveRequest) => {
  solveAssignmentInThread(unpackProblem(request.problem)).then(
    (assignment) => {
      const chosen = Int32Array.from(assignment.chosen);
      const reply: SolveReply = { id: request.id, ok: true, assignment: { ...assignment, chosen } };
      port.postMessage(reply, [chosen.buffer]);
    },
    (error: unknown) => {
      const reply: SolveReply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
      port.postMessage(reply);
    },
  );
});
