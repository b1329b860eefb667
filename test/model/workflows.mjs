// @ts-check
/**
 * The workflows and input items of the model's commands: the engine fixtures of test/engine/workflows,
 * with the node's settings a command draws (Continue On Fail, Retry On Fail, Parallel Requests) and a
 * 1 s Timeout (the shortest the node takes: a request left unanswered costs one real second).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../../dev/paths.mjs';

export const TIMEOUT_MS = 1000;

/** Operation → fixture name and the output flag that claims money moved (none for the creations). */
export const OPERATIONS = {
	captureById: { fixture: 'capture-by-invoice-id', flag: 'captured', kind: 'capture' },
	captureByOrder: { fixture: 'capture-by-order-id', flag: 'captured', kind: 'capture' },
	refundById: { fixture: 'refund-by-invoice-id', flag: 'refunded', kind: 'refund' },
	refundByOrder: { fixture: 'refund-by-order-id', flag: 'refunded', kind: 'refund' },
	createInvoice: { fixture: 'create-invoice', flag: undefined, kind: 'invoice' },
	payoutExecute: { fixture: 'payout-execute', flag: undefined, kind: 'execute' },
	payoutCreate: { fixture: 'payout-create', flag: undefined, kind: 'createPayout' },
};
/** @typedef {keyof typeof OPERATIONS} Operation */
export const OPERATION_NAMES = /** @type {Operation[]} */ (Object.keys(OPERATIONS));

/** The targets of a schedule: two of each kind, so that items and commands share them. */
export const INVOICE_IDS = ['3000071001', '3000071002'];
export const ORDER_IDS = ['model-order-1', 'model-order-2'];
export const NEW_ORDER_IDS = ['model-new-order-1', 'model-new-order-2'];
export const PAYOUT_IDS = [
	'5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a01',
	'5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a02',
];

/** @type {Map<string, any>} */
const fixtures = new Map();
/** @param {string} name */
function fixture(name) {
	if (!fixtures.has(name)) {
		const file = path.join(PROJECT_ROOT, 'test', 'engine', 'workflows', `${name}.json`);
		fixtures.set(name, JSON.parse(readFileSync(file, 'utf8')));
	}
	return structuredClone(fixtures.get(name));
}

/**
 * @typedef {object} NodeSettings
 * @property {boolean} continueOnFail
 * @property {number} tries  1 = Retry On Fail off
 * @property {boolean} parallel  Parallel Requests 3 instead of 1
 */

/** @param {Operation} operation @param {NodeSettings} settings */
export function workflowFor(operation, settings) {
	const workflow = fixture(OPERATIONS[operation].fixture);
	delete workflow.pinData.IntellectMoney;
	const node = workflow.nodes.find((/** @type {any} */ n) => n.name === 'IntellectMoney');
	node.parameters.options = {
		...node.parameters.options,
		timeoutSeconds: TIMEOUT_MS / 1000,
		...(settings.parallel ? { parallelRequests: 3 } : {}),
	};
	if (settings.continueOnFail) node.onError = 'continueRegularOutput';
	// n8n reads waitBetweenTries 0 as its default 1000 ms (`|| 1000`): 1 ms is the shortest it keeps.
	if (settings.tries > 1)
		Object.assign(node, { retryOnFail: true, maxTries: settings.tries, waitBetweenTries: 1 });
	return workflow;
}

/**
 * The input item for a target of the operation, or an item that is bad input (refused before
 * anything is sent).
 * @param {Operation} operation @param {number} target @param {boolean} [bad]
 * @returns {Record<string, unknown>}
 */
export function itemFor(operation, target, bad = false) {
	switch (operation) {
		case 'captureById':
		case 'refundById':
			return { invoiceId: bad ? 'not-an-invoice' : INVOICE_IDS[target] };
		case 'captureByOrder':
		case 'refundByOrder':
			return { orderId: bad ? 'x'.repeat(80) : ORDER_IDS[target] };
		case 'createInvoice':
			return {
				orderId: NEW_ORDER_IDS[target],
				amount: bad ? 'много' : '1500',
				expireDate: '2099-01-01T12:00:00Z',
				email: 'buyer@example.com',
				serviceName: `Заказ ${target + 1}`,
			};
		case 'payoutExecute':
			return { payoutOperationId: bad ? 'not-a-guid' : PAYOUT_IDS[target] };
		case 'payoutCreate':
			return {
				phone: '+7 900 123-45-67',
				bankId: '100000000111',
				amount: bad ? '-5' : String(2500 + target),
				recipientName: 'Иванов Иван Иванович',
			};
	}
}

/**
 * The ledger key of the target an item names (see world.mjs ledger), undefined for a bad item and a
 * payout creation (which moves no money).
 * @param {Operation} operation @param {number} target @param {boolean} bad
 */
export function targetKey(operation, target, bad) {
	if (bad) return undefined;
	const { kind } = OPERATIONS[operation];
	if (kind === 'capture' || kind === 'refund') return `${kind}:${INVOICE_IDS[target]}`;
	if (kind === 'invoice') return `invoice:${NEW_ORDER_IDS[target]}`;
	if (kind === 'execute') return `execute:${PAYOUT_IDS[target]}`;
	return undefined;
}
