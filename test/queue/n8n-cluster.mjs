// @ts-check
/**
 * n8n in queue mode on one machine (n8n docs "Queue mode"; what worked by hand is in the README's
 * "Running at scale"): a main instance (`n8n start`), a webhook processor (`n8n webhook`) and workers
 * (`n8n worker`), all on the same Postgres, Redis and encryption key, each with its own user folder
 * (processes sharing one find each other's crash journal and wait 10 s at start) holding this package
 * as a community package, each on free ports, each in its own process group with its output in a log.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { freePort, installPackage, n8nCommand, n8nEnv } from '../../dev/n8n/index.mjs';
import { importIntoN8n } from '../support/n8n-rest.mjs';
import { startLogged, waitUntil } from './services.mjs';

/** @typedef {ReturnType<typeof import('./teardown.mjs').createRun>} Run */
/** @typedef {import('../../dev/n8n/index.mjs').N8nRuntime} N8nRuntime */
/** @typedef {ReturnType<typeof startLogged>} LoggedProcess */

/**
 * @typedef {object} N8nProcess
 * @property {string} name  also the name of its log file (logs/<name>.log)
 * @property {'main' | 'webhook' | 'worker'} role
 * @property {LoggedProcess} process
 * @property {string} [url]  main and webhook processor: where production webhooks are served
 * @property {number[]} ports  every port it listens on
 */

/** Start to ready, at most (2 cores, several n8n processes starting at once). */
const READY_TIMEOUT_MS = 180_000;

/**
 * The environment every process and CLI call shares.
 * @param {{ postgresPort: number, redisPort: number, encryptionKey: string }} services
 * @returns {Record<string, string>}
 */
export function queueEnv(services) {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(services.postgresPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(services.redisPort),
		N8N_ENCRYPTION_KEY: services.encryptionKey,
	};
}

/** A fresh encryption key for one run. */
export const newEncryptionKey = () => randomBytes(24).toString('hex');

/** @param {string} url */
async function answersOk(url) {
	try {
		return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
	} catch {
		return false;
	}
}

/**
 * @param {{ run: Run, runtime: N8nRuntime, env: Record<string, string> }} cluster
 * @param {string} name
 */
function userFolderFor(cluster, name) {
	const folder = path.join(cluster.run.runDir, 'n8n', name);
	installPackage(folder);
	return folder;
}

/**
 * Starts one n8n process and waits until it reports ready on `/healthz/readiness`.
 * @param {{ run: Run, runtime: N8nRuntime, env: Record<string, string> }} cluster
 * @param {{ name: string, role: 'main' | 'webhook' | 'worker', userFolder?: string }} what
 * @returns {Promise<N8nProcess>}
 */
export async function startN8nProcess(cluster, what) {
	const userFolder = what.userFolder ?? userFolderFor(cluster, what.name);
	const port = await freePort();
	// The webhook processor starts no task broker (no task runner): it only enqueues.
	const brokerPort = what.role === 'webhook' ? undefined : await freePort();
	/** @type {Record<string, string>} */
	const own =
		what.role === 'worker'
			? {
					N8N_RUNNERS_BROKER_PORT: String(brokerPort),
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
				}
			: what.role === 'main'
				? { N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort) }
				: { N8N_PORT: String(port) };
	const command = { main: 'start', webhook: 'webhook', worker: 'worker' }[what.role];
	const env = n8nEnv(cluster.runtime, userFolder, {}, { ...cluster.env, ...own });
	const started = startLogged(
		cluster.run,
		what.name,
		cluster.runtime.nodeBin,
		[cluster.runtime.n8nBin, command],
		{ env },
	);
	const base = `http://127.0.0.1:${port}`;
	await waitUntil(
		`n8n ${what.name}`,
		() => answersOk(`${base}/healthz/readiness`),
		READY_TIMEOUT_MS,
		started,
	);
	return {
		name: what.name,
		role: what.role,
		process: started,
		...(what.role === 'worker' ? {} : { url: base }),
		ports: brokerPort === undefined ? [port] : [port, brokerPort],
	};
}

/**
 * Imports the credentials and workflows with n8n's CLI (from its own user folder) and publishes them;
 * the first call also runs n8n's database migrations.
 * @param {{ run: Run, runtime: N8nRuntime, env: Record<string, string> }} cluster
 * @param {{ credentials: unknown[], workflows: unknown[], publish: string[] }} what
 */
export async function importAndPublish(cluster, what) {
	const userFolder = userFolderFor(cluster, 'cli');
	const { credentials, workflows } = what;
	await importIntoN8n(cluster.runtime, userFolder, { credentials, workflows }, cluster.env);
	// One CLI process per workflow, at once (each takes seconds to start).
	const published = await Promise.all(
		what.publish.map(async (id) => {
			const result = await n8nCommand(
				cluster.runtime,
				userFolder,
				['publish:workflow', `--id=${id}`],
				cluster.env,
			);
			return { id, code: result.code, out: result.code === 0 ? '' : result.stdout + result.stderr };
		}),
	);
	const failed = published.filter((p) => p.code !== 0);
	if (failed.length > 0) throw new Error(`publish:workflow failed: ${JSON.stringify(failed)}`);
}

/**
 * Main, webhook processor and `workers` workers, started together.
 * @param {{ run: Run, runtime: N8nRuntime, env: Record<string, string> }} cluster
 * @param {number} workers
 */
export async function startQueueMode(cluster, workers) {
	const [main, webhook, ...workerProcesses] = await Promise.all([
		startN8nProcess(cluster, { name: 'main', role: 'main' }),
		startN8nProcess(cluster, { name: 'webhook', role: 'webhook' }),
		...Array.from({ length: workers }, (_, i) =>
			startN8nProcess(cluster, { name: `worker-${i + 1}`, role: 'worker' }),
		),
	]);
	return { main, webhook, workers: workerProcesses };
}

/**
 * Kills a worker's whole process group at once (as the kernel's OOM killer or a lost machine would),
 * then starts it again with the same user folder, logging to `<name>-restarted`. `whileDown` runs
 * once it is gone and before it starts again.
 * @template T
 * @param {{ run: Run, runtime: N8nRuntime, env: Record<string, string> }} cluster
 * @param {N8nProcess} worker
 * @param {() => T} whileDown
 */
export async function killAndRestartWorker(cluster, worker, whileDown) {
	const killedAt = Date.now();
	process.kill(-worker.process.pid, 'SIGKILL');
	await worker.process.exited;
	const seenWhileDown = whileDown();
	const restarted = await startN8nProcess(cluster, {
		name: `${worker.name}-restarted`,
		role: 'worker',
		userFolder: path.join(cluster.run.runDir, 'n8n', worker.name),
	});
	cluster.run.add(restarted.name, () => restarted.process.stop('SIGTERM', 20_000));
	return { killedAt, restarted, readyAfterMs: Date.now() - killedAt, seenWhileDown };
}

/**
 * Which executions each worker started and finished, from its log ("Worker started execution N",
 * "Worker finished execution N": n8n `dist/scaling/job-processor.js`): the execution records do not
 * say which worker ran them.
 * @param {string} runDir
 * @returns {Record<string, { started: Set<number>, finished: Set<number> }>}  by log name
 */
export function executionsByWorker(runDir) {
	const logs = path.join(runDir, 'logs');
	/** @type {Record<string, { started: Set<number>, finished: Set<number> }>} */
	const result = {};
	for (const file of readdirSync(logs).filter((f) => f.startsWith('worker-'))) {
		const text = readFileSync(path.join(logs, file), 'utf8');
		/** @param {RegExp} re */
		const ids = (re) => new Set([...text.matchAll(re)].map((match) => Number(match[1])));
		result[file.replace(/\.log$/, '')] = {
			started: ids(/Worker started execution (\d+)/g),
			finished: ids(/Worker finished execution (\d+)/g),
		};
	}
	return result;
}

/**
 * The resident memory of each process group (leader and children, e.g. task runners), in MB.
 * @param {Array<{ name: string, pid: number }>} processes
 */
export function residentMemoryMb(processes) {
	/** @type {Map<number, number>} process group → kB */
	const byGroup = new Map();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const group = Number(fields[2]);
			const status = readFileSync(`/proc/${entry}/status`, 'utf8');
			const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
			byGroup.set(group, (byGroup.get(group) ?? 0) + kb);
		} catch {
			// exited meanwhile
		}
	}
	return Object.fromEntries(
		processes.map(({ name, pid }) => [name, Math.round((byGroup.get(pid) ?? 0) / 1024)]),
	);
}
