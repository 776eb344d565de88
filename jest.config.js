// Two projects: `unit` runs the tests beside the source (its emulator suites start their own emulator); `integration`
// lives under test/ and drives the compiled app through the local host with Azurite, the bus and the simulator.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023' } }],
  // @marcbachmann/cel-js ships ES modules only; Node 22 requires them natively, Jest's module registry does not.
  '^.+/node_modules/@marcbachmann/cel-js/.+\\.js$': [
    '@swc/jest',
    { jsc: { target: 'es2023' }, module: { type: 'commonjs' } },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!@marcbachmann/cel-js/)'];
const setupFilesAfterEnv = ['<rootDir>/test/support/jest-setup.ts'];
/** @type {import('jest').Config} */
module.exports = {
  // A handle a suite leaves open would keep jest waiting forever after the last test: this names it and fails the run.
  globalTeardown: '<rootDir>/test/support/open-handles.cjs',
  projects: [
    {
      displayName: 'unit',
      transform,
      testEnvironment: 'node',
      roots: ['<rootDir>/functions', '<rootDir>/shared', '<rootDir>/dev'],
      testMatch: ['**/*.test.ts'],
      setupFilesAfterEnv,
      transformIgnorePatterns,
    },
    {
      displayName: 'integration',
      transform,
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      setupFilesAfterEnv,
      transformIgnorePatterns,
    },
  ],
};
