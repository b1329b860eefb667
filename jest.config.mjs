// @ts-check
/**
 * Jest runs two kinds of test files:
 * - `*.test.ts`: pure unit tests of the shipped TypeScript (signing), compiled by ts-jest; they obey
 *   n8n's lint like the shipped code.
 * - `*.test.mjs`: tests that need Node's http, fs or process (the sandbox, the n8n engine); native ESM,
 *   which is why `npm test` starts jest with `--experimental-vm-modules`.
 * @type {import('jest').Config}
 */
const config = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.mjs'],
	moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
	testTimeout: 60000,
	// The fault matrix runs its cells at the same time (each waits on timeouts and state reads).
	maxConcurrency: 16,
};

export default config;
