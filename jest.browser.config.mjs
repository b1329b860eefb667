// @ts-check
/**
 * The browser suite (`npm run test:browser`): n8n's editor in Debian's Chromium, driven by
 * playwright-core. Run as the e2e suite is (one file at a time, long timeouts: the first run
 * installs n8n, and Chromium), on the `*.browser.mjs` files under test/browser/.
 */
import e2e from './jest.e2e.config.mjs';

/** @type {import('jest').Config} */
const config = { ...e2e, testMatch: ['<rootDir>/test/browser/**/*.browser.mjs'] };

export default config;
