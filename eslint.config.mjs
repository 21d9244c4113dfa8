// Lint settings: typescript-eslint's recommended rules over the whole repo, and its type-checked rules over the shipped code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LIB_REACHES_LAMBDAS_BY_CONTRACT = {
  regex: '^(\\.\\./)+lambdas/(?!contract/|shared/api-keys/)',
  message:
    'lib/ reaches lambdas/ only through lambdas/contract (config types, env names, metric names, pure checks) or lambdas/shared/api-keys',
};
const RUN_TIME_NEVER_IMPORTS_LIB = {
  regex: '^(\\.\\./)+lib(/|$)',
  message: 'lambdas/ never imports lib/: move what both need to lambdas/contract',
};

/** One handler reaching into another's folder (`../proxy/...` from lambdas/aggregator, at any depth). */
function handlerNeverImports(from, to) {
  return {
    regex: `^(\\.\\./)+${to}(/|$)`,
    message: `lambdas/${from} never imports lambdas/${to}: move what both need to lambdas/shared (API Gateway events and results: lambdas/shared/apigw)`,
  };
}

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
    // Type-checked rules (unsafe any, floating promises, needless assertions) on what ships; tests keep the plain set,
    // where mocks of loose JSON would drown the signal.
    files: ['lib/**/*.ts', 'lambdas/**/*.ts', 'bin/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // gatehouse local walks the synthesized template and OpenAPI JSON as they ship (`JsonObject`, values of any shape):
    // typing every step would restate CloudFormation's and API Gateway's schemas. Its tests run it on real assemblies.
    files: ['lib/local/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // DESIGN.md: dependencies run one way; run-time code never imports synth-time code.
    files: ['lambdas/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [RUN_TIME_NEVER_IMPORTS_LIB] }] },
  },
  {
    // ARCHITECTURE.md: handlers are siblings, not each other's library; what both need lives in lambdas/shared (apigw/ for
    // API Gateway events and results). A rule's options replace the block above's for these files, so lib/ is repeated.
    files: ['lambdas/aggregator/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [RUN_TIME_NEVER_IMPORTS_LIB, handlerNeverImports('aggregator', 'proxy')] }] },
  },
  {
    files: ['lambdas/proxy/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [RUN_TIME_NEVER_IMPORTS_LIB, handlerNeverImports('proxy', 'aggregator')] }] },
  },
  {
    // ARCHITECTURE.md: synth-time code reads run-time code only through the contract (and the key lifecycle the CLI runs too).
    files: ['lib/**/*.ts', 'bin/**/*.ts'],
    ignores: ['lib/constructs/bundling/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [LIB_REACHES_LAMBDAS_BY_CONTRACT],
        },
      ],
    },
  },
  {
    // ARCHITECTURE.md: the config is upstream of the planner (spec → plan), so it never imports lib/plan. This block
    // replaces the one above for lib/config, so it repeats its rule.
    files: ['lib/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            LIB_REACHES_LAMBDAS_BY_CONTRACT,
            {
              regex: '^(\\.\\./)+plan(/|$)',
              message: 'lib/config never imports lib/plan: move what both need into lib/config (e.g. path-template.ts, limits.ts)',
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
