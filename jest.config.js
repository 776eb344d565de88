// Two projects: `unit` runs beside the source and needs no emulator; `integration` lives under test/
// and starts Azurite, the Service Bus emulator, the Azure simulator and the local host as it needs them.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023' } }] };
/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      transform,
      testEnvironment: 'node',
      roots: ['<rootDir>/functions', '<rootDir>/shared', '<rootDir>/dev'],
      testMatch: ['**/*.test.ts'],
    },
    {
      displayName: 'integration',
      transform,
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
  ],
};
