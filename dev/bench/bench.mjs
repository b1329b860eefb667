// @ts-check
/**
 * `npm run bench`: throughput of Purchase → Capture, on this machine, against the bundled sandbox.
 *
 *   (a)  floor   a raw undici loop sending the same signed capture requests, one at a time
 *   (a‖) floorK  the same loop with K requests at once
 *   (h)  helper  the same loop sending through n8n's HTTP helper (@n8n/backend-network's OutboundHttp,
 *                what `this.helpers.httpRequest` calls): what n8n's HTTP stack costs without the engine
 *   (b)  peer    n8n-core WorkflowExecute running what an operator builds by hand: Manual Trigger →
 *                Crypto (SHA-256 Sign) → Crypto (MD5 Hash) → HTTP Request (n8n-nodes-base 2.41.1).
 *                n8n 2.x's Code node cannot be that peer: it runs JavaScript only through a task runner
 *                (`this.startJob`, n8n-nodes-base dist/nodes/Code/Code.node.js), which needs the n8n
 *                server's task broker, so it cannot run inside WorkflowExecute alone.
 *   (c)  node    n8n-core WorkflowExecute: Manual Trigger → IntellectMoney, Parallel Requests 1
 *   (d)  nodeK   the same with Parallel Requests K
 *
 * Every measurement runs in a fresh process (run.mjs) against a fresh sandbox in another process
 * (sandbox.mjs), which must end with every invoice captured exactly once and every
 * signature valid. Each measurement is repeated; the table shows medians and flags spreads over 10 %.
 * CPU profiles of (c), (d) and (b) at 0 ms, grouped by where the time goes, close the report.
 *
 * Options (flags, or the environment variable in brackets):
 *   --items N            items per run at 0 ms latency (BENCH_ITEMS, default 10000)
 *   --latency-items N    items per run at other latencies (BENCH_LATENCY_ITEMS, default 600)
 *   --latencies L,L      sandbox latencies in ms (BENCH_LATENCIES, default 0,50)
 *   --parallel K         Parallel Requests of (d) and (a‖) (BENCH_PARALLEL, default 10)
 *   --reps R             repetitions of each measurement (BENCH_REPS, default 3)
 *   --variants V,V       among floor,floorK,helper,peer,node,nodeK (BENCH_VARIANTS, default all)
 *   --no-profile         skip the CPU profile
 *   --out DIR            where latest.json and latest.md go (default bench-results)
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { CACHE_DIR, ensureN8n, N8N_LINES, PROJECT_ROOT } from '../n8n/index.mjs';
import { summarizeProfile } from './profile.mjs';
import { fixed, toMarkdown } from './report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {import('./variants.mjs').Variant} Variant
 * @typedef {{ variant: Variant, items: number, parallel: number, elapsedMs: number, cpuMs: number,
 *   connections: number,
 *   baseRssMb: number, peakRssMb: number, peakHeapGrowthMb: number, retainedHeapMb: number,
 *   residualHeapMb: number }} Measurement
 */

const VARIANTS = /** @type {const} */ (['floor', 'floorK', 'helper', 'peer', 'node', 'nodeK']);

const { values: flags } = parseArgs({
	options: {
		items: { type: 'string' },
		'latency-items': { type: 'string' },
		latencies: { type: 'string' },
		parallel: { type: 'string' },
		reps: { type: 'string' },
		variants: { type: 'string' },
		'no-profile': { type: 'boolean', default: false },
		out: { type: 'string' },
	},
});

/** @param {string | undefined} flag @param {string | undefined} env @param {number} fallback @param {string} name */
function positiveInt(flag, env, fallback, name) {
	const value = Number(flag ?? env ?? fallback);
	if (!Number.isInteger(value) || value < 1)
		throw new Error(`--${name} must be a positive integer`);
	return value;
}

const settings = {
	items: positiveInt(flags.items, process.env.BENCH_ITEMS, 10_000, 'items'),
	latencyItems: positiveInt(
		flags['latency-items'],
		process.env.BENCH_LATENCY_ITEMS,
		600,
		'latency-items',
	),
	latencies: String(flags.latencies ?? process.env.BENCH_LATENCIES ?? '0,50')
		.split(',')
		.map((text) => {
			const ms = Number(text.trim());
			if (!Number.isInteger(ms) || ms < 0) throw new Error(`--latencies: bad value ${text}`);
			return ms;
		}),
	parallel: positiveInt(flags.parallel, process.env.BENCH_PARALLEL, 10, 'parallel'),
	reps: positiveInt(flags.reps, process.env.BENCH_REPS, 3, 'reps'),
	variants: /** @type {Variant[]} */ (
		String(flags.variants ?? process.env.BENCH_VARIANTS ?? VARIANTS.join(','))
			.split(',')
			.map((name) => name.trim())
	),
	profile: !flags['no-profile'],
	out: path.resolve(PROJECT_ROOT, flags.out ?? 'bench-results'),
};
for (const variant of settings.variants) {
	if (!VARIANTS.includes(variant)) throw new Error(`--variants: unknown variant ${variant}`);
}
if (settings.parallel > 50) throw new Error('--parallel: Parallel Requests goes up to 50');

/** Items and warm-up (answered without latency, so it costs no waiting) of one latency. @param {number} latencyMs */
const sizeFor = (latencyMs) => ({
	items: latencyMs === 0 ? settings.items : settings.latencyItems,
	warmup: 500,
});

/**
 * Forks `script` and resolves with its first IPC message that has `key`.
 * @param {import('node:child_process').ChildProcess} child @param {string} key
 * @returns {Promise<any>}
 */
function messageFrom(child, key) {
	return new Promise((resolve, reject) => {
		const onMessage = (/** @type {any} */ message) => {
			if (message && typeof message === 'object' && (key in message || 'error' in message)) {
				child.off('message', onMessage);
				child.off('exit', onExit);
				if ('error' in message) reject(new Error(message.error));
				else resolve(message[key]);
			}
		};
		const onExit = (/** @type {number | null} */ code) =>
			reject(
				new Error(`${path.basename(String(child.spawnfile))} exited (${code}) before answering`),
			);
		child.on('message', onMessage);
		child.once('exit', onExit);
	});
}

/**
 * One measurement: a fresh sandbox process and a fresh client process.
 * @param {Variant} variant @param {number} latencyMs @param {{ profileFile?: string, n8nNodesBase?: string }} extra
 * @returns {Promise<Measurement>}
 */
async function measureOnce(variant, latencyMs, extra = {}) {
	const { items, warmup } = sizeFor(latencyMs);
	const sandbox = fork(
		path.join(here, 'sandbox.mjs'),
		['--items', String(items), '--warmup', String(warmup), '--latency-ms', String(latencyMs)],
		{ stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
	);
	try {
		const url = await messageFrom(sandbox, 'url');
		const runner = fork(
			path.join(here, 'run.mjs'),
			[
				JSON.stringify({
					variant,
					url,
					items,
					warmup,
					parallel: settings.parallel,
					...extra,
				}),
			],
			{ execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
		);
		const answer = messageFrom(runner, 'result');
		answer.catch(() => {}); // awaited below; a failure before that must not go unhandled
		await messageFrom(runner, 'warmedUp');
		sandbox.send('arm');
		await messageFrom(sandbox, 'armed');
		runner.send('go');
		/** @type {Measurement} */
		const result = await answer;
		await new Promise((resolve) => {
			if (runner.exitCode !== null) resolve(undefined);
			else runner.once('exit', resolve);
		});
		sandbox.send('stats');
		const stats = await messageFrom(sandbox, 'stats');
		const bad = Object.keys(stats.counts).filter((key) => !key.endsWith(' accepted'));
		if (stats.capturedOnce !== items || stats.capturedTwice !== 0 || bad.length > 0) {
			throw new Error(
				`${variant} at ${latencyMs} ms: the sandbox saw ${stats.capturedOnce}/${items} invoices captured once, ${stats.capturedTwice} twice, ${JSON.stringify(stats.counts)}`,
			);
		}
		return result;
	} finally {
		sandbox.send('stop');
		await new Promise((resolve) => {
			if (sandbox.exitCode !== null) resolve(undefined);
			else sandbox.once('exit', resolve);
		});
	}
}

/** @param {number[]} values */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** @param {Measurement[]} runs */
function summarize(runs) {
	const msPerItem = runs.map((run) => run.elapsedMs / run.items);
	const med = median(msPerItem);
	const spread = (Math.max(...msPerItem) - Math.min(...msPerItem)) / med;
	const per1k = (/** @type {number} */ mb, /** @type {Measurement} */ run) =>
		(mb * 1000) / run.items;
	return {
		items: runs[0].items,
		parallel: runs[0].parallel,
		reps: runs.length,
		msPerItem: med,
		itemsPerSecond: 1000 / med,
		cpuMsPerItem: median(runs.map((run) => run.cpuMs / run.items)),
		connectionsPerItem: median(runs.map((run) => run.connections / run.items)),
		spread,
		noisy: spread > 0.1,
		peakRssMb: median(runs.map((run) => run.peakRssMb)),
		rssGrowthMbPer1k: median(runs.map((run) => per1k(run.peakRssMb - run.baseRssMb, run))),
		peakHeapGrowthMbPer1k: median(runs.map((run) => per1k(run.peakHeapGrowthMb, run))),
		retainedHeapMbPer1k: median(runs.map((run) => per1k(run.retainedHeapMb, run))),
		residualHeapMbPer1k: median(runs.map((run) => per1k(run.residualHeapMb, run))),
		runsMsPerItem: msPerItem,
	};
}

async function main() {
	const started = Date.now();
	let n8nNodesBase;
	if (settings.variants.includes('peer')) {
		// The peer's nodes come from the real n8n the project already installs for `npm start`.
		const runtime = await ensureN8n('2.x');
		n8nNodesBase = path.join(
			CACHE_DIR,
			`n8n-${runtime.line.n8nVersion}`,
			'node_modules',
			'n8n-nodes-base',
		);
	}
	const machine = {
		cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		loadAverageAtStart: os.loadavg().map((load) => Number(load.toFixed(2))),
		n8nCore: readVersion('n8n-core'),
		n8nNodesBase: N8N_LINES['2.x'].n8nVersion,
	};
	console.log(
		`bench: ${settings.items} items at 0 ms, ${settings.latencyItems} at other latencies; latencies ${settings.latencies.join(', ')} ms; K = ${settings.parallel}; ${settings.reps} reps; ${machine.cpus}, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
	);

	/** @type {Record<string, Record<string, Measurement[]>>} latency → variant → runs */
	const raw = {};
	for (const latencyMs of settings.latencies) {
		raw[latencyMs] = {};
		for (let rep = 1; rep <= settings.reps; rep++) {
			// Variants interleave within a repetition, so a slow minute of the machine hits all of them.
			for (const variant of settings.variants) {
				const run = await measureOnce(variant, latencyMs, { n8nNodesBase });
				(raw[latencyMs][variant] ??= []).push(run);
				console.log(
					`  ${String(latencyMs).padStart(3)} ms  rep ${rep}/${settings.reps}  ${variant.padEnd(6)} ${fixed(run.items / (run.elapsedMs / 1000), 0).padStart(7)} items/s  ${fixed(run.elapsedMs / run.items, 3)} ms/item`,
				);
			}
		}
	}

	/** @type {Record<string, Record<string, ReturnType<typeof summarize>>>} */
	const results = {};
	for (const [latencyMs, byVariant] of Object.entries(raw)) {
		results[latencyMs] = {};
		for (const [variant, runs] of Object.entries(byVariant)) {
			results[latencyMs][variant] = summarize(runs);
		}
	}

	/** @type {Record<string, any>} */
	const profiles = {};
	if (settings.profile) {
		const dir = path.join(os.tmpdir(), 'n8n-intellectmoney-bench');
		mkdirSync(dir, { recursive: true });
		for (const variant of /** @type {Variant[]} */ (['node', 'nodeK', 'peer'])) {
			if (!settings.variants.includes(variant)) continue;
			const profileFile = path.join(dir, `${variant}-0ms.cpuprofile`);
			rmSync(profileFile, { force: true });
			await measureOnce(variant, 0, { n8nNodesBase, profileFile });
			profiles[variant] = {
				file: profileFile,
				summary: summarizeProfile(JSON.parse(readFileSync(profileFile, 'utf8'))),
			};
		}
	}

	const report = {
		date: new Date().toISOString(),
		durationS: Math.round((Date.now() - started) / 1000),
		settings: { ...settings, out: path.relative(PROJECT_ROOT, settings.out) },
		machine,
		results,
		profiles,
		raw,
	};
	const markdown = toMarkdown(report);
	mkdirSync(settings.out, { recursive: true });
	writeFileSync(path.join(settings.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
	writeFileSync(path.join(settings.out, 'latest.md'), `${markdown}\n`);
	console.log(`\n${markdown}\n`);
	console.log(
		`bench: done in ${report.durationS} s; wrote ${path.relative(PROJECT_ROOT, settings.out)}/latest.json and latest.md`,
	);
}

/** @param {string} name */
function readVersion(name) {
	try {
		const file = path.join(PROJECT_ROOT, 'node_modules', name, 'package.json');
		return JSON.parse(readFileSync(file, 'utf8')).version;
	} catch {
		return 'unknown';
	}
}

await main();
