// Lint settings: typescript-eslint's recommended rules over the whole repo.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdk.out/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // DESIGN.md: dependencies run one way; run-time code never imports synth-time code.
    files: ['lambdas/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+lib(/|$)', message: 'lambdas/ never imports lib/: move what both need to lambdas/contract' }] }],
    },
  },
  {
    // ARCHITECTURE.md: synth-time code reads run-time code only through the contract (and the key lifecycle the CLI runs too).
    files: ['lib/**/*.ts', 'bin/**/*.ts'],
    ignores: ['lib/constructs/bundling/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Pending: the transform check still lives with the transform engine whose grammar it shares.
              regex: '^(\\.\\./)+lambdas/(?!contract/|shared/api-keys/|proxy/transform$)',
              message: 'lib/ reaches lambdas/ only through lambdas/contract (config types, env names, metric names, pure checks) or lambdas/shared/api-keys',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract is a leaf: what it imports, both sides would drag along.
    files: ['lambdas/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'lambdas/contract imports only itself and npm packages: move what it needs into lambdas/contract',
            },
          ],
        },
      ],
    },
  },
);
