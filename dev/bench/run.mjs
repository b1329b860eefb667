// @ts-check
/**
 * One benchmark measurement in a fresh process (forked by bench.mjs with --expose-gc): loads what
 * the variant needs, warms it up on the `warm-*` invoices, then times one run over the `bench-*`
 * invoices of the sandbox at `url`, and sends the figures back over IPC. The sandbox runs in another
 * process, so CPU time and memory measured here are the client's alone.
 *
 * Variants (all send the same signed purchaseToPaid requests, capture by Order ID):
 *   floor      a raw undici loop: sign with node:crypto, form body, one request after another
 *   floorK     the same with `parallel` requests at once
 *   helper     the same loop sending through n8n's own HTTP helper (`OutboundHttp` of
 *              @n8n/backend-network, what `this.helpers.httpRequest` calls), no workflow engine
 *   peer       n8n-core WorkflowExecute: Manual Trigger → Crypto (SHA-256 Sign) → Crypto (MD5 Hash) →
 *              HTTP Request (n8n-nodes-base 2.41.1 from the n8n runtime in .cache)
 *   node       n8n-core WorkflowExecute: Manual Trigger → IntellectMoney, Parallel Requests 1
 *   nodeK      the same with Parallel Requests `parallel`
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapStatistics } from 'node:v8';

import { removeEngineUserFolder } from '../n8n/engine.mjs';
import { assertCaptured, orderItems, prepare } from './variants.mjs';

/** @typedef {import('./variants.mjs').RunConfig} RunConfig */

/** Forces a full GC twice (weak refs and finalizers settle) and returns the used heap. */
function settledHeap() {
	const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
	if (!gc) throw new Error('run with --expose-gc');
	gc();
	gc();
	return getHeapStatistics().used_heap_size;
}

/**
 * The timed run; checks the output and measures the heap it holds, then lets it go with its frame.
 * @param {{ run: (items: Array<{ orderId: string }>) => Promise<any[]> }} runner
 * @param {Array<{ orderId: string }>} items @param {RunConfig} config @param {number} baseHeap
 */
async function timedRun(runner, items, config, baseHeap) {
	/** @type {Session | undefined} */
	let session;
	if (config.profileFile) {
		session = new Session();
		session.connect();
		await session.post('Profiler.enable');
		await session.post('Profiler.setSamplingInterval', { interval: 200 });
		await session.post('Profiler.start');
	}
	// TCP connections opened during the run: n8n's helper builds new agents for every request.
	let connections = 0;
	const countConnection = () => {
		connections += 1;
	};
	subscribe('net.client.socket', countConnection);
	const cpuBefore = process.cpuUsage();
	const started = process.hrtime.bigint();
	const output = await runner.run(items);
	const elapsedNs = Number(process.hrtime.bigint() - started);
	const cpu = process.cpuUsage(cpuBefore);
	unsubscribe('net.client.socket', countConnection);
	if (session) {
		const { profile } = await session.post('Profiler.stop');
		writeFileSync(/** @type {string} */ (config.profileFile), JSON.stringify(profile));
		session.disconnect();
	}
	assertCaptured(config.variant, output, items);
	return { elapsedNs, cpu, connections, retainedHeap: settledHeap() - baseHeap };
}

/** @param {RunConfig} config */
async function measure(config) {
	const runner = await prepare(config);
	if (config.warmup > 0) {
		const warmItems = orderItems('warm', config.warmup);
		assertCaptured(config.variant, await runner.run(warmItems), warmItems);
	}
	// The sandbox answers the warm-up at once; the orchestrator now arms its latency for the run.
	process.send?.({ warmedUp: true });
	await new Promise((resolve) => {
		process.once('message', resolve);
	});
	const items = orderItems('bench', config.items);
	const baseHeap = settledHeap();
	const baseRss = process.memoryUsage.rss();
	let peakRss = baseRss;
	let peakHeap = baseHeap;
	// A sampler for the peaks during the run (a bench script, not node code: timers are fine here).
	const sampler = setInterval(() => {
		peakRss = Math.max(peakRss, process.memoryUsage.rss());
		peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
	}, 20);

	const { elapsedNs, cpu, connections, retainedHeap } = await timedRun(
		runner,
		items,
		config,
		baseHeap,
	);
	clearInterval(sampler);
	peakRss = Math.max(peakRss, process.memoryUsage.rss());
	// timedRun's frame is gone, and with it the output: what is left now outlives the execution.
	const residualHeap = settledHeap() - baseHeap;
	return {
		variant: config.variant,
		items: config.items,
		parallel: config.variant.endsWith('K') ? config.parallel : 1,
		elapsedMs: elapsedNs / 1e6,
		cpuMs: (cpu.user + cpu.system) / 1000,
		connections,
		baseRssMb: baseRss / 2 ** 20,
		peakRssMb: peakRss / 2 ** 20,
		peakHeapGrowthMb: (peakHeap - baseHeap) / 2 ** 20,
		retainedHeapMb: retainedHeap / 2 ** 20,
		residualHeapMb: residualHeap / 2 ** 20,
	};
}

const config = /** @type {RunConfig} */ (JSON.parse(process.argv[2] ?? '{}'));
/** @type {{ result: unknown } | { error: string }} */
let message;
try {
	message = { result: await measure(config) };
} catch (error) {
	message = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
removeEngineUserFolder();
// Exit once the answer is out: keep-alive sockets and the engine must not hold the process.
process.send?.(message, () => process.exit('error' in message ? 1 : 0));
