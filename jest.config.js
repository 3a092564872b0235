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
    // jose is ESM-only, yet required by CommonJS jwks-rsa (Teams SDK). Node ≥ 20.19 loads it natively;
    // Jest's module loader cannot (before Node 24.9), so it gets a CommonJS build for the tests only.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  testTimeout: 30_000,
  // PGlite and Chromium are memory-hungry: two workers fit a 2-core CI machine.
  maxWorkers: 2,
};
