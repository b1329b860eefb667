// @ts-check
/**
 * Preparing and reading a real n8n for the e2e suites: importing credentials and workflows with n8n's
 * CLI (and publishing them), reading what `n8n execute --rawOutput` prints, then, through the REST
 * API of the running n8n, the publication of a workflow (2.x publishes in the background after start)
 * and its executions with their node outputs.
 */
import { expect } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { n8nCommand } from '../../dev/n8n/index.mjs';

/**
 * @typedef {{ url: string, cookie: string, lineName: '2.x' | '1.x', n8nBin: string }} N8nSession
 * @typedef {{ id: number, status: string, outputs: Record<string, Array<Record<string, any>>> }} ExecutionSummary
 */

/**
 * Writes credentials and workflows into an n8n user folder, imports them with n8n's CLI, and publishes
 * (2.x) or activates (1.x) the workflows named in `publish`. Every command must succeed.
 * @param {import('../../dev/n8n/index.mjs').N8nRuntime} runtime @param {string} userFolder
 * @param {{ credentials: unknown[], workflows: unknown[], publish?: string[] }} what
 * @param {NodeJS.ProcessEnv} [extraEnv]  for every command (queue mode: the database to use)
 */
export async function importIntoN8n(runtime, userFolder, what, extraEnv = {}) {
	const credentialsFile = path.join(userFolder, 'credentials.json');
	const workflowsFile = path.join(userFolder, 'workflows.json');
	writeFileSync(credentialsFile, JSON.stringify(what.credentials));
	writeFileSync(workflowsFile, JSON.stringify(what.workflows));
	const commands = [
		['import:credentials', `--input=${credentialsFile}`],
		['import:workflow', `--input=${workflowsFile}`],
		// 2.x publishes a version; 1.x sets the workflow active.
		...(what.publish ?? []).map((id) =>
			runtime.line.line === '2.x'
				? ['publish:workflow', `--id=${id}`]
				: ['update:workflow', `--id=${id}`, '--active=true'],
		),
	];
	for (const args of commands) {
		const result = await n8nCommand(runtime, userFolder, args, extraEnv);
		expect({
			args,
			code: result.code,
			out: result.code === 0 ? '' : result.stdout + result.stderr,
		}).toEqual({ args, code: 0, out: '' });
	}
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

/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until a workflow's trigger is published (2.x); 1.x activates before its REST API answers.
 * @param {N8nSession} session @param {string} workflowId
 */
export async function waitUntilPublished(session, workflowId) {
	if (session.lineName !== '2.x') return;
	const deadline = Date.now() + 120_000;
	for (;;) {
		const response = await fetch(`${session.url}/rest/workflows/${workflowId}/publication-status`, {
			headers: { cookie: session.cookie },
		});
		const status = /** @type {any} */ (await response.json()).data;
		if (status?.status === 'published') return;
		if (Date.now() > deadline) throw new Error(`workflow not published: ${JSON.stringify(status)}`);
		await pause(500);
	}
}

/**
 * Every execution of a workflow, oldest first, with the first output of each node that ran.
 * @param {N8nSession} session @param {string} workflowId @returns {Promise<ExecutionSummary[]>}
 */
export async function executionsOf(session, workflowId) {
	// n8n stores execution data in "flatted" form; read it with the n8n install's own copy.
	const { parse } = createRequire(path.dirname(path.dirname(session.n8nBin)) + '/')('flatted');
	const headers = { cookie: session.cookie };
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = /** @type {any} */ (
		await (await fetch(`${session.url}/rest/executions?filter=${filter}`, { headers })).json()
	);
	const results = /** @type {any[]} */ (list.data.results ?? list.data);
	// The list may name a just-finished execution twice (still running + stored): one per id.
	const ids = [...new Set(results.map((summary) => Number(summary.id)))].sort((a, b) => a - b);
	/** @type {ExecutionSummary[]} */
	const executions = [];
	for (const id of ids) {
		const detail = /** @type {any} */ (
			await (await fetch(`${session.url}/rest/executions/${id}`, { headers })).json()
		);
		const runData = parse(detail.data.data).resultData.runData;
		/** @type {Record<string, Array<Record<string, any>>>} */
		const outputs = {};
		for (const [node, runs] of Object.entries(runData)) {
			outputs[node] = /** @type {any} */ (runs[0]?.data?.main?.[0] ?? []).map(
				(/** @type {any} */ item) => item.json,
			);
		}
		executions.push({ id, status: detail.data.status, outputs });
	}
	return executions;
}

/**
 * Waits until a workflow has at least `count` finished executions; returns them all.
 * @param {N8nSession} session @param {string} workflowId @param {number} count
 */
export async function waitForExecutions(session, workflowId, count) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const executions = await executionsOf(session, workflowId);
		const finished = executions.every((e) => e.status !== 'running' && e.status !== 'new');
		if (executions.length >= count && finished) return executions;
		if (Date.now() > deadline) {
			throw new Error(`expected ${count} executions, have ${JSON.stringify(executions)}`);
		}
		await pause(250);
	}
}
