// @ts-check
/**
 * The browser suite (`npm run test:browser`): n8n's editor in Debian's Chromium, driven by
 * playwright-core. One n8n, one sandbox and one browser for the whole walk, so one file at a time and
 * long timeouts (the first run installs n8n and Chromium).
 * @type {import('jest').Config}
 */
const config = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/browser/**/*.browser.mjs'],
	moduleFileExtensions: ['mjs', 'js', 'json'],
	transform: {},
	reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
	testTimeout: 180000,
	maxWorkers: 1,
};

export default config;
