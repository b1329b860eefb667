// @ts-check
/**
 * The whole stack of the queue suite, started in order and registered for teardown: Postgres and
 * Redis (installed when missing), the sandbox with its notification retry policy, the credential and
 * workflows imported and published with n8n's CLI, then main, webhook processor and two workers.
 * Returns once every workflow's production URL answers on both processes that serve webhooks.
 */
import { connect } from 'node:net';

import { ensureN8n } from '../../dev/n8n/index.mjs';
import { credentialFor, startSandbox } from '../../dev/sandbox/index.mjs';
import {
	importAndPublish,
	newEncryptionKey,
	queueEnv,
	residentMemoryMb,
	startQueueMode,
} from './n8n-cluster.mjs';
import { ensureServicePackages, startPostgres, startRedis, waitUntil } from './services.mjs';
import { createRun } from './teardown.mjs';

/** @typedef {import('./workflows.mjs').PublishedFlow} PublishedFlow */

/** @param {string} message */
export const say = (message) => process.stderr.write(`[queue] ${message}\n`);

/**
 * @param {{ flows: PublishedFlow[], sandboxOptions: import('../../dev/sandbox/index.mjs').SandboxOptions }} what
 */
export async function startStack(what) {
	const started = Date.now();
	const lap = (/** @type {string} */ step) =>
		say(`${step} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	const runtime = await ensureN8n('2.x');
	const run = createRun('im-queue-');
	try {
		const bins = ensureServicePackages();
		if (bins.installSeconds > 1)
			lap(`PostgreSQL and Redis installed in ${bins.installSeconds.toFixed(0)} s`);
		const postgres = await startPostgres(run, bins.pgBin);
		const redis = await startRedis(run, bins);
		lap(`Postgres on ${postgres.port}, Redis on ${redis.port}`);
		const sandbox = await startSandbox(what.sandboxOptions);
		run.add('sandbox', () => sandbox.stop());
		const cluster = {
			run,
			runtime,
			env: queueEnv({
				postgresPort: postgres.port,
				redisPort: redis.port,
				encryptionKey: newEncryptionKey(),
			}),
		};
		await importAndPublish(cluster, {
			credentials: [
				{
					id: 'imSandboxCred01',
					name: 'IntellectMoney sandbox',
					type: 'intellectMoneyApi',
					data: credentialFor(sandbox),
				},
			],
			workflows: what.flows.map((flow) => flow.json),
			publish: what.flows.map((flow) => flow.id),
		});
		lap('credential and workflows imported and published');
		const n8n = await startQueueMode(cluster, 2);
		for (const p of [n8n.main, n8n.webhook, ...n8n.workers]) {
			run.add(p.name, () => p.process.stop('SIGTERM', 20_000));
		}
		lap('main, webhook processor and 2 workers ready');
		const urls = /** @param {PublishedFlow} flow */ (flow) => ({
			main: `${n8n.main.url}/${flow.webhookPath}`,
			webhook: `${n8n.webhook.url}/${flow.webhookPath}`,
		});
		// Published = a forged notification reaches the trigger, which refuses it (403, not n8n's 404).
		for (const flow of what.flows) {
			for (const url of Object.values(urls(flow))) {
				await waitUntil(
					`${url} published`,
					async () =>
						(
							await sandbox.sendNotification(
								url,
								{ eshopId: sandbox.shop.eshopId, orderId: 'probe', paymentStatus: '6' },
								{ forge: 'hash' },
							)
						).status === 403,
					120_000,
				);
			}
		}
		lap('every workflow answers on main and webhook processor');
		const memory = sampleMemory(() => [
			...[n8n.main, n8n.webhook, ...n8n.workers].map((p) => ({ name: p.name, pid: p.process.pid })),
			{ name: 'postgres', pid: postgres.pid },
			{ name: 'redis', pid: redis.pid },
		]);
		run.add('memory sampler', async () => memory.stop());
		return { run, runtime, sandbox, postgres, redis, cluster, n8n, urls, memory };
	} catch (error) {
		await run.stopAll();
		throw error;
	}
}

/**
 * The highest resident memory of each process group seen, sampled every 2 s.
 * @param {() => Array<{ name: string, pid: number }>} processes
 */
function sampleMemory(processes) {
	/** @type {Record<string, number>} */
	const peaks = {};
	const timer = setInterval(() => {
		for (const [name, mb] of Object.entries(residentMemoryMb(processes()))) {
			peaks[name] = Math.max(peaks[name] ?? 0, mb);
		}
	}, 2000);
	return { peaks, stop: () => clearInterval(timer) };
}

/** Whether something still listens on a 127.0.0.1 port. @param {number} port */
export function listening(port) {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
