// @ts-check
/**
 * What each benchmark variant runs (run.mjs lists them), ready to be timed: `prepare(config)` gives
 * `run(items)`, and `assertCaptured` checks its output. All send the same signed purchaseToPaid
 * requests, capture by Order ID.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Agent, request } from 'undici';

import { createEngine, CREDENTIAL_TYPE } from '../n8n/engine.mjs';
import { DEFAULT_SHOP } from '../sandbox/index.mjs';
import { CAPTURE, nodeWorkflow, peerWorkflow } from './workflows.mjs';

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
export const orderItems = (prefix, count) =>
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
export function assertCaptured(variant, output, items) {
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
export async function prepare(config) {
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
