import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.nx', '**/coverage', '**/*.cjs', 'data/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      // apps → pipeline → (scraper, lake); scraper and lake share only type:util (@b3lake/columns, data
      // only, inlined into the published scraper package).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:runtime', 'type:pipeline', 'type:scraper', 'type:lake', 'type:util'],
            },
            {
              sourceTag: 'type:runtime',
              onlyDependOnLibsWithTags: ['type:pipeline', 'type:scraper', 'type:lake', 'type:util'],
            },
            { sourceTag: 'type:pipeline', onlyDependOnLibsWithTags: ['type:scraper', 'type:lake', 'type:util'] },
            { sourceTag: 'type:lake', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:scraper', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:scraper', 'type:lake', 'type:pipeline', 'type:util', 'type:tool'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 120; strings, comments and test names are kept within it by hand.
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  {
    // Specs assert on data they just built; `!` there is clearer than a guard.
    files: ['**/*.spec.ts', '**/test-support/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
