import { fileURLToPath } from 'node:url';

/**
 * Node arguments that run a TypeScript entry point in a child process the way tap runs the suite:
 * through test/loader, so the child's coverage maps back to its TypeScript source as well.
 */
export const RUN_TYPESCRIPT: readonly string[] = ['--import', fileURLToPath(new URL('../loader/register.js', import.meta.url))];

/**
 * How long a child process may take to get ready. Starting means compiling a few hundred modules; on
 * a shared 2-core machine under load that has taken over a minute, so the deadline is generous.
 */
export const CHILD_READY_DEADLINE_MS = 180_000;
