// Runs TypeScript under test with source maps that V8 coverage can use: `node --import ./test/loader/register.js`.
// tsx's output maps did not survive into tap's coverage report (every file read 100 %), so the suite
// compiles each .ts file itself with esbuild and an inline source map carrying the original text.
import { register } from 'node:module';

register('./hooks.js', import.meta.url);
