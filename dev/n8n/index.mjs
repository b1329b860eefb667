// @ts-check
/**
 * The pinned n8n runtimes for `npm start`, `npm run dev`, the bench and the end-to-end suites:
 * install a line, put the package where n8n installs community packages, run n8n, log in; the demo
 * instance of `npm start` (n8n, the sandbox, the credential and the example workflows).
 * (n8n-core's engine alone, without an n8n install, is engine.mjs.)
 */
export { CACHE_DIR, PROJECT_ROOT } from '../paths.mjs';
export { n8nEnv } from './env.mjs';
export { ensureN8n, N8N_LINES } from './install.mjs';
export {
	exampleWorkflows,
	HELD_EXAMPLE_FILE,
	SANDBOX_CREDENTIAL,
	startDemoInstance,
} from './demo-instance.mjs';
export { DEMO_OWNER, ensureOwner, login } from './owner.mjs';
export { installPackage } from './package.mjs';
export { freePort, portNear } from './ports.mjs';
export { n8nCommand, startN8nServer } from './process.mjs';

/**
 * @typedef {import('./install.mjs').N8nLine} N8nLine
 * @typedef {import('./install.mjs').N8nRuntime} N8nRuntime
 */
