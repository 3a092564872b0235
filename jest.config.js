/**
 * Jest 30 in native ESM mode (the project is "type": "module"), TypeScript
 * compiled by SWC. Type checking is a separate step of `npm test` (tsc).
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  testTimeout: 30_000,
  // PGlite and Chromium are memory-hungry: two workers fit a 2-core CI machine.
  maxWorkers: 2,
};
