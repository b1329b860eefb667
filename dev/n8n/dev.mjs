// @ts-check
/**
 * `npm run dev`: the pinned n8n from `.cache/` (2.x; `-- --line=1.x` for the other line) with this
 * checkout's package linked into a project-local user folder (`.cache/n8n-dev-<line>`, never
 * ~/.n8n); on every change under nodes/, credentials/ or icons/ it rebuilds (`npm run build`) and
 * restarts n8n, so the editor shows the change after a reload of the page. A failed build is
 * printed and n8n keeps running the previous build. Ctrl-C stops n8n.
 * `n8n-node dev` is not used: it runs `npx n8n@latest`, which this project's registry cannot install.
 * For the sandbox, its credential and the example workflows, use `npm start` (`npm run sandbox` runs
 * the sandbox beside this).
 */
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import path from 'node:path';

import {
	CACHE_DIR,
	DEMO_OWNER as OWNER,
	ensureN8n,
	ensureOwner,
	installPackage,
	portNear,
	PROJECT_ROOT,
	startN8nServer,
} from './index.mjs';

const lineName = process.argv.includes('--line=1.x') ? '1.x' : '2.x';
const userFolder = process.env.IM_N8N_USER_FOLDER ?? path.join(CACHE_DIR, `n8n-dev-${lineName}`);
const WATCHED = ['nodes', 'credentials', 'icons'];

/** @param {string} message */
const say = (message) => console.log(`[dev] ${message}`);

/** `npm run build`, its output kept for a failure. @returns {Promise<{ ok: boolean, output: string }>} */
function build() {
	return new Promise((resolve) => {
		const child = spawn('npm', ['run', 'build'], {
			cwd: PROJECT_ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => resolve({ ok: code === 0, output }));
	});
}

const runtime = await ensureN8n(lineName);
say(`n8n ${runtime.line.n8nVersion} on Node ${runtime.nodeVersion}`);
const first = await build();
if (!first.ok) {
	console.error(first.output);
	process.exit(1);
}
installPackage(userFolder, { link: true });
const port = process.env.IM_N8N_PORT ? Number(process.env.IM_N8N_PORT) : await portNear(5678);
const env = { NODE_PRESERVE_SYMLINKS: '1' };

/** @type {Awaited<ReturnType<typeof startN8nServer>> | undefined} */
let server;
async function start() {
	const started = Date.now();
	server = await startN8nServer(runtime, userFolder, { port, env });
	await ensureOwner(server.url, OWNER);
	say(`n8n is ready: ${server.url} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
await start();
say(`Login: ${OWNER.email} / ${OWNER.password}`);
say(`Watching ${WATCHED.join(', ')}: a change rebuilds and restarts n8n. Ctrl-C stops.`);

let pending = false;
let running = Promise.resolve();
/** Rebuild, then restart n8n on the new build; one at a time, changes during a rebuild run it again. */
function rebuild() {
	if (pending) return;
	pending = true;
	running = running.then(async () => {
		await new Promise((resolve) => setTimeout(resolve, 300));
		pending = false;
		const started = Date.now();
		const result = await build();
		if (!result.ok) {
			say(`build failed, n8n keeps the previous build:\n${result.output}`);
			return;
		}
		say(`rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s, restarting n8n`);
		await server?.stop();
		await start().catch((error) => say(`n8n did not start, fix and save again: ${error.message}`));
	});
}
const watchers = WATCHED.map((dir) =>
	watch(path.join(PROJECT_ROOT, dir), { recursive: true }, () => rebuild()),
);

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.on(signal, () => {
		say('stopping n8n');
		for (const watcher of watchers) watcher.close();
		running
			.then(() => server?.stop())
			.then(
				() => process.exit(0),
				(error) => {
					console.error(error);
					process.exit(1);
				},
			);
	});
}
