// Lint rules that keep the architecture honest (ARCHITECTURE.md rules 1 and 6).
// Import cycles and layering are also checked by dependency-cruiser (.dependency-cruiser.cjs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** SDKs and drivers the core must never import. */
const SDK_PATTERNS = [
  '@slack/*',
  '@microsoft/*',
  'matrix-js-sdk',
  'matrix-js-sdk/*',
  '@mistralai/*',
  '@prisma/*',
  'bullmq',
  'ioredis',
  'chromadb',
  'pg',
  '@electric-sql/*',
  'pglite-prisma-adapter',
  'express',
  'pino',
  'cron-parser',
  'zod',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'coverage/', '.relais/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDK_PATTERNS, message: 'The core imports no SDK or driver: add a port in src/core/ports and an adapter (ARCHITECTURE.md rule 1).' },
            { group: ['**/adapters/**', '**/jobs/**', '**/generated/**', '**/config', '**/config.js', '**/main', '**/main.js'], message: 'The core may not import adapters, jobs, config or the composition root.' },
          ],
        },
      ],
    },
  },
  {
    // Entry points and developer tools may print to the terminal.
    files: ['src/main.ts', 'src/cli.ts', 'src/cli/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', '.ci/**/*.js'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['src/adapters/chat/web/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
  },
);
