// @ts-check
/**
 * The environment of npm and n8n processes run on a pinned Node: npm's own settings left out, n8n
 * on loopback with a project-local user folder.
 */
import path from 'node:path';

/** @typedef {import('./install.mjs').N8nRuntime} N8nRuntime */

/** This process's environment without the npm_* variables an enclosing `npm run` exported. */
export function envWithoutNpmSettings() {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (!name.toLowerCase().startsWith('npm_')) env[name] = value;
	}
	return env;
}

/**
 * Environment for npm or n8n running on `nodeBin`: its bin dir first, its headers for node-gyp.
 * npm's own settings are not inherited: under `npm run`, npm exports this project's config as
 * npm_config_* variables (ignore-scripts=true among them), which would make `npm rebuild sqlite3`
 * silently build nothing.
 * @param {string} nodeBin
 */
export function envForNode(nodeBin) {
	return {
		...envWithoutNpmSettings(),
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: path.dirname(path.dirname(nodeBin)),
	};
}

/**
 * The environment n8n runs with: a project-local user folder, loopback only, no telemetry; `extra`
 * is added last (a test's own settings).
 * @param {N8nRuntime} runtime @param {string} userFolder @param {{ port?: number, brokerPort?: number }} [ports]
 * @param {NodeJS.ProcessEnv} [extra]
 */
export function n8nEnv(runtime, userFolder, ports = {}, extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const inherited = envForNode(runtime.nodeBin);
	// A test runner's markers would switch n8n into its own test mode (NODE_ENV=test silences its logger).
	for (const name of Object.keys(inherited)) {
		if (name === 'NODE_ENV' || name.startsWith('JEST_') || name.startsWith('N8N_'))
			delete inherited[name];
	}
	return {
		...inherited,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		...(ports.port ? { N8N_PORT: String(ports.port) } : {}),
		// Each n8n process (server, CLI) runs its own task broker: give each its own port.
		...(ports.brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(ports.brokerPort) } : {}),
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// `n8n execute --rawOutput` prints the result through the logger at info level.
		N8N_LOG_LEVEL: 'info',
		DB_TYPE: 'sqlite',
		...(runtime.line.env ?? {}),
		...extra,
	};
}
