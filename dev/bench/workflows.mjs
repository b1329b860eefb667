// @ts-check
/**
 * The workflows the benchmark's engine variants run: Manual Trigger → IntellectMoney (the node), and
 * the hand-built peer, Manual Trigger → Crypto → Crypto → HTTP Request.
 */
import { CREDENTIAL_TYPE, NODE_TYPE } from '../n8n/engine.mjs';
import { DEFAULT_SHOP } from '../sandbox/index.mjs';

export const CAPTURE = 'merchant/purchaseToPaid';
const shop = DEFAULT_SHOP;

const trigger = {
	id: 'bench-0000-4000-8000-000000000001',
	name: 'Manual Trigger',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Manual Trigger → IntellectMoney (capture by Order ID). @param {number} parallelRequests */
export function nodeWorkflow(parallelRequests) {
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
export function peerWorkflow(url) {
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
