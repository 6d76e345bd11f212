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
);
