// @ts-check
/**
 * One benchmark measurement in a fresh process (forked by dev/bench.mjs with --expose-gc): loads what
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
import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';

import { Agent, request } from 'undici';

import { createEngine, CREDENTIAL_TYPE, NODE_TYPE, removeEngineUserFolder } from './engine.mjs';
import { DEFAULT_SHOP } from './sandbox/index.mjs';

/**
 * @typedef {'floor' | 'floorK' | 'helper' | 'peer' | 'node' | 'nodeK'} Variant
 * @typedef {object} RunConfig
 * @property {Variant} variant
 * @property {string} url  the sandbox
 * @property {number} items
 * @property {number} warmup
 * @property {number} parallel
 * @property {string} [n8nNodesBase]  the n8n-nodes-base package folder (peer only)
 * @property {string} [profileFile]  write a CPU profile of the timed run here
 */

const CAPTURE = 'merchant/purchaseToPaid';
const require = createRequire(import.meta.url);
const shop = DEFAULT_SHOP;

/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
/** @param {string} text */
const md5 = (text) => createHash('md5').update(text, 'utf8').digest('hex');

/** The IntellectMoney credential for the sandbox. @param {string} url */
function credential(url) {
	const { eshopId, bearerToken, signSecretKey, shopSecretKey, login, password } = shop;
	return { eshopId, bearerToken, signSecretKey, shopSecretKey, login, password, baseUrl: url };
}

/** @param {string} prefix @param {number} count */
const orderItems = (prefix, count) =>
	Array.from({ length: count }, (_, i) => ({ orderId: `${prefix}-${i}` }));

// ---- floor: raw undici, and n8n's HTTP helper alone ----

/**
 * @typedef {(endpoint: URL, headers: Record<string, string>, body: string) =>
 *   Promise<{ status: number, envelope: any }>} Send
 */

/** undici, keep-alive connections. @returns {Send} */
function undiciSender() {
	const dispatcher = new Agent({ connections: null });
	return async (endpoint, headers, body) => {
		const response = await request(endpoint, { method: 'POST', dispatcher, headers, body });
		return { status: response.statusCode, envelope: await response.body.json() };
	};
}

/**
 * n8n's outbound HTTP client, as n8n-core's `httpRequest` helper uses it (factory.js: `Container.get(
 * OutboundHttp).requests().request(options)`), with the options the node's credential produces.
 * @returns {Send}
 */
function n8nHelperSender() {
	const requireFromCore = createRequire(require.resolve('n8n-core'));
	const { Container } = requireFromCore('@n8n/di');
	const { OutboundHttp } = requireFromCore('@n8n/backend-network');
	const http = Container.get(OutboundHttp).requests();
	return async (endpoint, headers, body) => {
		const response = await http.request({
			method: 'POST',
			url: endpoint.href,
			headers,
			body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		const envelope = typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
		return { status: response.statusCode, envelope };
	};
}

/**
 * Captures `items`, `parallel` at a time, signing each the documented way; returns the parsed answers
 * in item order.
 * @param {string} url @param {Array<{ orderId: string }>} items @param {number} parallel
 * @param {Send} send
 */
async function loopRun(url, items, parallel, send) {
	const endpoint = new URL(CAPTURE, url);
	/** @type {unknown[]} */
	const answers = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			const { orderId } = items[index];
			// seeds/004: Sign = SHA-256 and Hash = MD5 of EshopId::OrderId::ToPaid::<key>.
			const signed = `${shop.eshopId}::${orderId}::ToPaid::`;
			const hash = md5(signed + shop.shopSecretKey);
			const body = new URLSearchParams({
				EshopId: shop.eshopId,
				OrderId: orderId,
				Hash: hash,
				PurchaseHash: hash,
			}).toString();
			const { status, envelope } = await send(
				endpoint,
				{
					accept: 'application/json',
					'content-type': 'application/x-www-form-urlencoded',
					authorization: `Bearer ${shop.bearerToken}`,
					sign: sha256(signed + shop.signSecretKey),
				},
				body,
			);
			if (status !== 200 || envelope?.Result?.State?.Code !== 0) {
				throw new Error(`floor: item ${index} not captured: ${JSON.stringify(envelope)}`);
			}
			answers[index] = envelope;
		}
	};
	await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
	return answers;
}

// ---- peer and node: n8n-core WorkflowExecute ----

const trigger = {
	id: 'bench-0000-4000-8000-000000000001',
	name: 'Manual Trigger',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Manual Trigger → IntellectMoney (capture by Order ID). @param {number} parallelRequests */
function nodeWorkflow(parallelRequests) {
	return {
		name: 'bench: IntellectMoney',
		nodes: [
			trigger,
			{
				id: 'bench-0000-4000-8000-000000000002',
				name: 'IntellectMoney',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'purchase',
					operation: 'capture',
					identifyBy: 'orderId',
					orderId: '={{ $json.orderId }}',
					options: parallelRequests === 1 ? {} : { parallelRequests },
				},
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'IntellectMoney sandbox' } },
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'IntellectMoney', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * What an operator builds by hand: two Crypto nodes compute Sign and Hash per item from the
 * documented recipe, and HTTP Request posts the form. The keys sit in the expressions, as they would
 * in a hand-built flow (there is no credential type that signs IntellectMoney requests).
 * @param {string} url
 */
function peerWorkflow(url) {
	const recipe = `{{ '${shop.eshopId}::' + $json.orderId + '::ToPaid::`;
	/** @param {string} name @param {string} type @param {string} key @param {string} property @param {number} x */
	const cryptoNode = (name, type, key, property, x) => ({
		id: `bench-0000-4000-8000-00000000000${x}`,
		name,
		type: 'n8n-nodes-base.crypto',
		typeVersion: 2,
		position: [x * 220, 0],
		parameters: {
			action: 'hash',
			type,
			value: `=${recipe}${key}' }}`,
			dataPropertyName: property,
			encoding: 'hex',
		},
	});
	return {
		name: 'bench: hand-built peer',
		nodes: [
			trigger,
			cryptoNode('Sign', 'SHA256', shop.signSecretKey, 'sign', 2),
			cryptoNode('Hash', 'MD5', shop.shopSecretKey, 'hash', 3),
			{
				id: 'bench-0000-4000-8000-000000000004',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [880, 0],
				parameters: {
					method: 'POST',
					url: new URL(CAPTURE, url).href,
					sendHeaders: true,
					headerParameters: {
						parameters: [
							{ name: 'Accept', value: 'application/json' },
							{ name: 'Authorization', value: `Bearer ${shop.bearerToken}` },
							{ name: 'Sign', value: '={{ $json.sign }}' },
						],
					},
					sendBody: true,
					contentType: 'form-urlencoded',
					bodyParameters: {
						parameters: [
							{ name: 'EshopId', value: shop.eshopId },
							{ name: 'OrderId', value: '={{ $json.orderId }}' },
							{ name: 'Hash', value: '={{ $json.hash }}' },
							{ name: 'PurchaseHash', value: '={{ $json.hash }}' },
						],
					},
					options: {},
				},
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Sign', type: 'main', index: 0 }]] },
			Sign: { main: [[{ node: 'Hash', type: 'main', index: 0 }]] },
			Hash: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Loads the two n8n-nodes-base nodes the peer uses from the n8n runtime's install.
 * @param {string} packageDir
 */
function loadPeerNodes(packageDir) {
	const requireFromBase = createRequire(path.join(packageDir, 'package.json'));
	/** @param {string} file @returns {any} */
	const load = (file) => requireFromBase(path.join(packageDir, 'dist', 'nodes', file));
	const { Crypto } = load('Crypto/Crypto.node.js');
	const { HttpRequest } = load('HttpRequest/HttpRequest.node.js');
	return {
		'n8n-nodes-base.crypto': new Crypto().nodeVersions[2],
		'n8n-nodes-base.httpRequest': new HttpRequest().nodeVersions[4.2],
	};
}

/**
 * Checks that every item came out captured, in input order, whatever the variant's output shape.
 * @param {Variant} variant @param {any[]} output @param {Array<{ orderId: string }>} items
 */
function assertCaptured(variant, output, items) {
	if (output.length !== items.length) {
		throw new Error(`${variant}: ${output.length} of ${items.length} items out`);
	}
	for (let i = 0; i < output.length; i++) {
		const json = output[i].json ?? output[i];
		const ok =
			variant === 'node' || variant === 'nodeK'
				? json.captured === true && json.orderId === items[i].orderId
				: json.Result?.State?.Code === 0 && json.Result?.OrderId === items[i].orderId;
		if (!ok) throw new Error(`${variant}: item ${i} not captured: ${JSON.stringify(json)}`);
	}
}

/** @param {RunConfig} config */
async function prepare(config) {
	if (config.variant === 'floor' || config.variant === 'floorK' || config.variant === 'helper') {
		const send = config.variant === 'helper' ? n8nHelperSender() : undiciSender();
		const parallel = config.variant === 'floorK' ? config.parallel : 1;
		return {
			/** @param {Array<{ orderId: string }>} items */
			run: async (items) => await loopRun(config.url, items, parallel, send),
		};
	}
	const engine = await createEngine({ credentials: { [CREDENTIAL_TYPE]: credential(config.url) } });
	let workflow;
	let outputNode;
	if (config.variant === 'peer') {
		if (!config.n8nNodesBase) throw new Error('peer: no n8n-nodes-base folder given');
		Object.assign(engine.nodeTypes, loadPeerNodes(config.n8nNodesBase));
		workflow = peerWorkflow(config.url);
		outputNode = 'HTTP Request';
	} else {
		workflow = nodeWorkflow(config.variant === 'node' ? 1 : config.parallel);
		outputNode = 'IntellectMoney';
	}
	return {
		/** @param {Array<{ orderId: string }>} items */
		run: async (items) => {
			const result = await engine.run(workflow, { items });
			if (result.status !== 'success') {
				throw new Error(`${config.variant}: execution ${result.status}: ${result.error?.message}`);
			}
			return result.output(outputNode);
		},
	};
}

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
