import tseslint from 'typescript-eslint';

const transportLayers = ['src/rest/**', 'src/graphql/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'drizzle/**', 'coverage/**', '.tap/**', '.data/**', 'scratch/**', 'src/graphql/generated/**', 'clients/typescript/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Transports are thin: they call the domain and never reach the database themselves.
    files: transportLayers,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*'], message: 'Transports call src/domain; only the domain and db layers touch the database.' },
            { group: ['**/db/*', '**/db'], message: 'Transports call src/domain; only the domain and db layers touch the database.' },
          ],
        },
      ],
    },
  },
  {
    // The domain knows nothing of HTTP or GraphQL.
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fastify', 'fastify-*', '@fastify/*', 'mercurius', 'mercurius-*', 'graphql', 'graphql/*'], message: 'The domain knows nothing of HTTP or GraphQL.' },
            { group: ['**/rest/*', '**/graphql/*', '**/webhooks/*'], message: 'The domain may not import a transport.' },
          ],
        },
      ],
    },
  },
);
