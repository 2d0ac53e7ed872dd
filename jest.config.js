/**
 * Jest runs our TypeScript as ES modules (NestJS 12 is ESM-only), transpiled by SWC with
 * decorator metadata. Run through `node --experimental-vm-modules` (see package.json).
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    sourceMaps: 'inline',
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc, '^.+/node_modules/(content-disposition|cookie)/.+\\.js$': swc },
  // ESM-only packages that CommonJS dependencies require() (@fastify/static, light-my-request):
  // jest on Node 20 cannot require ESM, so these few are transpiled to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  moduleNameMapper: {
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    // The client package from its source (the workspace's `flashcart-source` export condition).
    '^@flashcart/client$': '<rootDir>/clients/typescript/src/index.ts',
    '^@flashcart/client/protocol$': '<rootDir>/clients/typescript/src/protocol.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};

export default {
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,clients}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'medium',
      testMatch: ['<rootDir>/test/**/*.medium-spec.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.js',
      setupFilesAfterEnv: [
        '<rootDir>/test/harness/migrate.ts',
        '<rootDir>/test/harness/check-money.ts',
      ],
      globalTeardown: '<rootDir>/test/harness/global-teardown.js',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.js',
      setupFilesAfterEnv: [
        '<rootDir>/test/harness/migrate.ts',
        '<rootDir>/test/harness/check-money.ts',
      ],
      globalTeardown: '<rootDir>/test/harness/global-teardown.js',
    },
  ],
};
