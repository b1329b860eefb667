// @ts-check
/**
 * `npm run dev` comes up with the pinned n8n 2.x, serves the editor with the package linked, and after
 * a source change rebuilds and restarts n8n on the new build. It runs on a copy of the checkout (its
 * node_modules and .cache linked), so the change it makes never touches this one.
 */
import { afterAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	CACHE_DIR,
	DEMO_OWNER,
	ensureN8n,
	freePort,
	login,
	PROJECT_ROOT,
} from '../../dev/n8n/index.mjs';

const COPIED = [
	'dev',
	'nodes',
	'credentials',
	'shared',
	'icons',
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
	'index.js',
];
const scratch = mkdtempSync(path.join(tmpdir(), 'im-e2e-dev-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The IntellectMoney node's display name as n8n lists it. @param {string} url */
async function listedDisplayName(url) {
	const headers = { cookie: await login(url, DEMO_OWNER) };
	const nodes = /** @type {any[]} */ (
		await (await fetch(`${url}/types/nodes.json`, { headers })).json()
	);
	return nodes.find((n) => n.name === 'n8n-nodes-intellectmoney.intellectMoney')?.displayName;
}

test('npm run dev: editor up with the package linked, a saved change is rebuilt and served after a restart', async () => {
	await ensureN8n('2.x');
	const checkout = path.join(scratch, 'checkout');
	for (const entry of COPIED)
		cpSync(path.join(PROJECT_ROOT, entry), path.join(checkout, entry), { recursive: true });
	symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(checkout, 'node_modules'));
	symlinkSync(CACHE_DIR, path.join(checkout, '.cache'));
	const port = await freePort();
	const started = Date.now();
	const child = spawn(process.execPath, [path.join(checkout, 'dev', 'n8n', 'dev.mjs')], {
		env: {
			...process.env,
			IM_N8N_USER_FOLDER: path.join(scratch, 'user'),
			IM_N8N_PORT: String(port),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
	/** Waits until the output has `count` lines matching. @param {RegExp} pattern @param {number} count */
	const waitFor = async (pattern, count) => {
		const deadline = Date.now() + 240_000;
		while ((output.match(new RegExp(pattern, 'g')) ?? []).length < count) {
			if (child.exitCode !== null || Date.now() > deadline)
				throw new Error(`dev did not print ${pattern} ×${count}:\n${output.slice(-3000)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	};
	try {
		await waitFor(/\[dev\] n8n is ready: /, 1);
		const url = `http://127.0.0.1:${port}`;
		const editor = await fetch(`${url}/`);
		expect(editor.status).toBe(200);
		expect(await editor.text()).toMatch(/<div id="app"/);
		expect(await listedDisplayName(url)).toBe('IntellectMoney');

		const nodeFile = path.join(checkout, 'nodes', 'IntellectMoney', 'IntellectMoney.node.ts');
		const source = readFileSync(nodeFile, 'utf8');
		expect(source).toContain("displayName: 'IntellectMoney',");
		const changed = Date.now();
		writeFileSync(
			nodeFile,
			source.replace("displayName: 'IntellectMoney',", "displayName: 'IntellectMoney Dev Build',"),
		);
		await waitFor(/\[dev\] n8n is ready: /, 2);
		expect(output).toMatch(/\[dev\] rebuilt in [\d.]+ s, restarting n8n/);
		expect(await listedDisplayName(url)).toBe('IntellectMoney Dev Build');
		process.stdout.write(
			`npm run dev: first start ${((changed - started) / 1000).toFixed(1)} s, saved change to served ${((Date.now() - changed) / 1000).toFixed(1)} s\n`,
		);
	} finally {
		child.kill('SIGINT');
		expect(await exited).toBe(0);
	}
}, 600_000);
