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
  // Some suite leaves a handle open since the compliance, rotation and sync suites joined (not yet found, see the
  // closing note of 2026-12-06): without this, jest waits forever after the last test and CI times out.
  forceExit: true,
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
