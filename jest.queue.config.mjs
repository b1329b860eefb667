// @ts-check
/**
 * The queue-mode suite (`npm run test:queue`): n8n's distributed mode on Postgres and Redis, one file,
 * long timeouts (it installs Postgres and Redis when missing, and starts six servers).
 * @type {import('jest').Config}
 */
const config = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/queue/**/*.queue.mjs'],
	moduleFileExtensions: ['mjs', 'js', 'json'],
	transform: {},
	reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
	testTimeout: 20 * 60_000,
	maxWorkers: 1,
};

export default config;
