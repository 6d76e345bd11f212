import tseslint from 'typescript-eslint';
import { layerRules } from './layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'drizzle/**', 'coverage/**', '.tap/**', '.data/**', 'scratch/**', 'src/graphql/generated/**', 'clients/typescript/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Which layer may import which, from the one table in layers.js (shown in docs/architecture.md):
  // the domain knows nothing of HTTP or GraphQL, transports never reach the database, db imports no layer above it.
  ...layerRules(),
  // Child processes in tests run TypeScript through test/loader (RUN_TYPESCRIPT), never tsx: tsx's source
  // maps do not reach V8 coverage, so a child started with tsx would report its code as fully covered.
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "ArrayExpression > Literal[value='tsx']",
        message: 'Start TypeScript children with RUN_TYPESCRIPT from test/helpers/typescript-child.ts, not tsx.',
      }],
    },
  },
);
