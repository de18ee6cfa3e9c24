/**
 * Jest: four projects — fast unit tests, e2e on a real database, browser tests in Chromium, and the
 * two-node test (two server processes on one PostgreSQL database; `npm run test:nodes`, not part of
 * `npm test`, which needs nothing but Node).
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
    { ...common, displayName: 'nodes', testMatch: ['<rootDir>/test/nodes/**/*.nodes-spec.ts'] },
  ],
  testTimeout: 30000,
};
