import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'web/dist/',
      'web/e2e/output/',
      'bench/results/',
      '.prof/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The solver is a pure library: no clock, no global randomness, no I/O.
    files: ['solver/**/*.ts'],
    ignores: ['solver/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use the seeded Rng passed in' },
        { object: 'Date', property: 'now', message: 'the solver reads no clock: pass a StopCondition' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'http',
            'fastify',
            'bullmq',
            'ioredis',
            '../../api/*',
            '../../workers/*',
          ],
        },
      ],
    },
  },
  {
    // The service layer is what the API and the workers share: it imports neither (service/layers.test.ts).
    files: ['service/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../api/*', '../workers/*', '../cli/*', '../bench/*'] },
      ],
    },
  },
  {
    // Workers use the service layer, never the API.
    files: ['workers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../api/*', '../cli/*', '../bench/*'] }] },
  },
);
