/**
 * End-to-end tests against real n8n installs (scripts/n8n/install.sh, versions in
 * scripts/n8n/versions.json). Run: npm run build && npx jest -c test/e2e/jest.config.js
 * N8N_E2E_LINES=n8n2-node20,n8n1-node20 limits the lines.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/lib/global-setup.ts',
	// stops servers a test process registered with lib/process-guard.ts and left behind
	globalTeardown: '<rootDir>/test/e2e/lib/global-teardown.ts',
	// the queue-mode suite last (lib/sequencer.js)
	testSequencer: '<rootDir>/test/e2e/lib/sequencer.js',
	// every test starts n8n processes of ~300-600 MB each; 2 cores: one file at a time
	maxWorkers: 1,
	testTimeout: 300_000,
};
