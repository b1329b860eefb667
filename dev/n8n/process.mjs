// @ts-check
/**
 * Runs n8n: a CLI command to completion, or `n8n start` until its REST API answers.
 */
import { spawn } from 'node:child_process';

import { n8nEnv } from './env.mjs';
import { freePort } from './ports.mjs';

/** @typedef {import('./install.mjs').N8nRuntime} N8nRuntime */

/**
 * Runs an n8n CLI command to completion.
 * @param {N8nRuntime} runtime @param {string} userFolder @param {string[]} args
 * @param {NodeJS.ProcessEnv} [extraEnv]  added last (queue mode: the database, Redis, the key)
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export async function n8nCommand(runtime, userFolder, args, extraEnv = {}) {
	const env = n8nEnv(runtime, userFolder, { brokerPort: await freePort() }, extraEnv);
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
