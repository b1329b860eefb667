// @ts-check
/**
 * Regression (issue 20, "The credential signs a request for any host…"): the credential signs only
 * requests to its Base URL's origin and path. Another node holding this credential type (n8n 1.x does
 * not know restrictToSupportedNodes, and the engine's credentials helper, like 1.x, lets any node use
 * any credential) asks n8n-core's real httpRequestWithAuthentication, or the legacy
 * requestWithAuthentication with `uri`, for an absolute, protocol-relative or look-alike address whose
 * path ends with an IntellectMoney endpoint. A second server, "elsewhere", is the witness: it must
 * receive nothing, and the Base URL's server only the one request that is exactly Base URL + endpoint.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';

import { findLeaks } from '../support/harness.mjs';
import { HOSTILE_SECRETS, startHostileServer, useHostileHarness } from '../support/hostile.mjs';

const CAPTURE = 'merchant/purchaseToPaid';
const FOREIGN = 'test.foreignNode';

/**
 * A node of another package that holds the IntellectMoney credential and sends what its item says:
 * `url` through httpRequestWithAuthentication, or `uri` through the legacy requestWithAuthentication
 * (what n8n 1.x's HTTP Request node uses). Each item's outcome is output: `sent` or the error's words.
 */
class ForeignNode {
	/** @type {import('n8n-workflow').INodeTypeDescription} */
	description = {
		displayName: 'Foreign Node',
		name: 'foreignNode',
		group: ['transform'],
		version: 1,
		description: 'Another package’s node that uses the IntellectMoney credential',
		defaults: { name: 'Foreign Node' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'intellectMoneyApi', required: true }],
		properties: [],
	};

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const out = [];
		for (const item of this.getInputData()) {
			const { url, uri } = /** @type {{ url?: string, uri?: string }} */ (item.json);
			const body = { EshopId: '450000', OrderId: 'order-1' };
			try {
				if (uri !== undefined) {
					await this.helpers.requestWithAuthentication.call(this, 'intellectMoneyApi', {
						method: 'POST',
						uri,
						form: body,
					});
				} else {
					await this.helpers.httpRequestWithAuthentication.call(this, 'intellectMoneyApi', {
						method: 'POST',
						url: /** @type {string} */ (url),
						body,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
					});
				}
				out.push({ json: { sent: true } });
			} catch (error) {
				out.push({ json: { sent: false, error: String(/** @type {Error} */ (error).message) } });
			}
		}
		return [out];
	}
}

/** Manual Trigger → Foreign Node, the node holding the IntellectMoney credential. */
const workflow = {
	name: 'foreign node with the IntellectMoney credential',
	nodes: [
		{
			id: 'f0000000-0000-4000-8000-000000000001',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'f0000000-0000-4000-8000-000000000002',
			name: 'Foreign Node',
			type: FOREIGN,
			typeVersion: 1,
			position: [220, 0],
			parameters: {},
			credentials: { intellectMoneyApi: { id: 'imForeign01', name: 'IntellectMoney' } },
		},
	],
	connections: { Start: { main: [[{ node: 'Foreign Node', type: 'main', index: 0 }]] } },
};

const h = useHostileHarness();
/** @type {import('../support/hostile.mjs').HostileServer} */
let elsewhere;
beforeAll(async () => {
	elsewhere = await startHostileServer();
	h.engine.nodeTypes[FOREIGN] = /** @type {any} */ (new ForeignNode());
});
afterAll(async () => {
	await elsewhere.stop();
});
beforeEach(() => {
	h.server.reset();
	elsewhere.reset();
});

/** Runs the foreign node with one item per address; its outputs. @param {Array<Record<string, string>>} items */
async function send(items) {
	const result = await h.run(workflow, { items });
	return result.output('Foreign Node').map((item) => /** @type {any} */ (item.json));
}

describe('the credential signs nothing for another address', () => {
	const base = () => new URL(h.server.url);
	test.each([
		['an absolute url to another host', () => `${elsewhere.url}${CAPTURE}`],
		[
			'a protocol-relative url to another host',
			() => `//${new URL(elsewhere.url).host}/${CAPTURE}`,
		],
		[
			'another port of the Base URL’s host',
			() => `http://127.0.0.1:${new URL(elsewhere.url).port}/${CAPTURE}`,
		],
		[
			'the Base URL’s host with the endpoint under another path',
			() => `${base().origin}/evil/${CAPTURE}`,
		],
		[
			'a look-alike host with user info',
			() => `http://127.0.0.1:${base().port}@${new URL(elsewhere.url).host}/${CAPTURE}`,
		],
	])('%s: refused, nothing sent anywhere', async (_name, address) => {
		const [outcome] = await send([{ url: address() }]);
		expect(outcome.sent).toBe(false);
		expect(outcome.error).toContain(
			"The IntellectMoney credential signs only the IntellectMoney node's own requests; nothing was sent",
		);
		expect(elsewhere.log).toEqual([]);
		expect(h.server.log).toEqual([]);
		expect(findLeaks([JSON.stringify(outcome)], Object.values(HOSTILE_SECRETS))).toEqual([]);
	});

	test('a `uri` (the legacy request n8n 1.x’s HTTP Request node sends) is refused, even to the Base URL', async () => {
		const outcomes = await send([
			{ uri: `${elsewhere.url}${CAPTURE}` },
			{ uri: `${h.server.url}${CAPTURE}` },
		]);
		expect(outcomes.map((outcome) => outcome.sent)).toEqual([false, false]);
		expect(elsewhere.log).toEqual([]);
		expect(h.server.log).toEqual([]);
	});

	test('exactly the Base URL + an endpoint, absolute, is signed and goes to the Base URL only', async () => {
		h.server.on(CAPTURE, (_request, res) => void res.end('{}'));
		const [outcome] = await send([{ url: `${h.server.url}${CAPTURE}` }]);
		expect(outcome).toEqual({ sent: true });
		expect(elsewhere.log).toEqual([]);
		expect(h.server.log.map((entry) => [entry.path, entry.headers.authorization])).toEqual([
			[CAPTURE, `Bearer ${HOSTILE_SECRETS.bearerToken}`],
		]);
	});
});
