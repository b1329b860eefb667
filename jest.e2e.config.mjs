// @ts-check
/**
 * The end-to-end suite (`npm run test:e2e`): real n8n processes, so one file at a time and long
 * timeouts (the first run installs n8n).
 * @type {import('jest').Config}
 */
const config = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.mjs'],
	moduleFileExtensions: ['mjs', 'js', 'json'],
	transform: {},
	reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
	testTimeout: 180000,
	maxWorkers: 1,
};

export default config;
