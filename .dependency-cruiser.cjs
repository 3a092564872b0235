/**
 * Layering and cycles, checked in `npm test` (npm run lint).
 * The core is the centre: it depends on nothing outside itself except Node built-ins.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make modules impossible to understand or test alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'ARCHITECTURE.md rule 1: src/core imports no SDK, driver, adapter, job, config or composition root.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^node:'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'adapters-do-not-import-jobs-or-root',
      severity: 'error',
      comment: 'Adapters translate at the edge; only main.ts composes them with jobs.',
      from: { path: '^src/adapters/' },
      to: { path: ['^src/jobs/', '^src/main\\.ts$', '^src/cli'] },
    },
    {
      name: 'jobs-do-not-import-adapters',
      severity: 'error',
      comment: 'Jobs call core use cases through ports.',
      from: { path: '^src/jobs/' },
      to: { path: ['^src/adapters/', '^src/main\\.ts$'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
