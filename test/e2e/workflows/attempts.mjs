// @ts-check
/**
 * The saved workflows of test/e2e/attempts.e2e.mjs: Manual Trigger → "Items" (a Set node that also
 * outputs the execution id) → "Split" → one IntellectMoney node with Retry On Fail, 3 tries. The
 * operator's "Send Even If an Earlier Run May Have Sent It" is read from $env.IM_ATT_SEND_ANYWAY, so
 * the same saved workflow (the same node, whose records n8n keeps per node) runs with it off and on.
 */

export const ITEMS_NODE = 'Items';
export const IM_NODE = 'IntellectMoney';

/** Workflow ids (at most 16 characters: n8n 1.x keeps per-workflow data only for such ids). */
export const FLOWS = {
	refundByInvoice: 'imAttRefundInv01',
	refundByOrder: 'imAttRefundOrd01',
	createTwo: 'imAttCreateTwo01',
	createBadInput: 'imAttCreateBad01',
	payout: 'imAttPayoutExe01',
	refundRetried: 'imAttRefundRet01',
	refundContinue: 'imAttRefundCof01',
};

/** n8n reads 0 as "not set" and waits 1000 ms (`waitBetweenTries || 1000`); 10 ms is the least wait. */
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 };
const SEND_ANYWAY = "={{ $env.IM_ATT_SEND_ANYWAY === 'yes' }}";

/**
 * @param {{ refundInvoiceId: string, refundOrderId: string, newOrderId: string, takenOrderId: string,
 *   payoutOperationId: string, retriedInvoiceId: string, continueInvoiceIds: string[] }} targets
 */
export function attemptWorkflows(targets) {
	const refundByInvoice = {
		resource: 'purchase',
		operation: 'refund',
		identifyBy: 'invoiceId',
		invoiceId: '={{ $json.invoiceId }}',
		options: { sendAfterEarlierRun: SEND_ANYWAY },
	};
	const expireDate = '={{ $now.plus({ days: 3 }).toISO() }}';
	/** @param {string} orderId */
	const invoice = (orderId) => ({ orderId, total: '500.00' });
	const createParameters = {
		resource: 'purchase',
		operation: 'createInvoice',
		orderId: '={{ $json.orderId }}',
		amount: '={{ $json.total }}',
		currency: 'RUB',
		holdMode: true,
		holdTime: 72,
		expireDate,
		// Evaluated on every try: the log shows which execution each request came from.
		options: { serviceName: '=Execution {{ $execution.id }}', sendAfterEarlierRun: SEND_ANYWAY },
	};
	return [
		flow(
			FLOWS.refundByInvoice,
			'Attempts: refund by Invoice ID',
			[{ invoiceId: targets.refundInvoiceId }],
			refundByInvoice,
		),
		flow(
			FLOWS.refundRetried,
			'Attempts: refund by Invoice ID, retried from the executions list',
			[{ invoiceId: targets.retriedInvoiceId }],
			refundByInvoice,
		),
		// On Error → Continue: n8n runs the node again (Retry On Fail) when its first item is an error item.
		flow(
			FLOWS.refundContinue,
			'Attempts: refund 2 invoices, Continue On Fail',
			targets.continueInvoiceIds.map((invoiceId) => ({ invoiceId })),
			refundByInvoice,
			{ onError: 'continueRegularOutput' },
		),
		flow(
			FLOWS.refundByOrder,
			'Attempts: refund by Order ID',
			[{ orderId: targets.refundOrderId }],
			{
				resource: 'purchase',
				operation: 'refund',
				identifyBy: 'orderId',
				orderId: '={{ $json.orderId }}',
				options: { sendAfterEarlierRun: SEND_ANYWAY },
			},
		),
		flow(
			FLOWS.createTwo,
			'Attempts: create 2 invoices, the second refused',
			[invoice(targets.newOrderId), invoice(targets.takenOrderId)],
			createParameters,
		),
		flow(
			FLOWS.createBadInput,
			'Attempts: create 2 invoices, the second without Order ID',
			[invoice('att-bad-input-0'), invoice('')],
			createParameters,
		),
		flow(
			FLOWS.payout,
			'Attempts: execute a payout',
			[{ payoutOperationId: targets.payoutOperationId }],
			{
				resource: 'payout',
				operation: 'execute',
				payoutOperationId: '={{ $json.payoutOperationId }}',
				options: { sendAfterEarlierRun: SEND_ANYWAY },
			},
		),
	];
}

/**
 * @param {string} id @param {string} name @param {Array<Record<string, string>>} items
 * @param {Record<string, unknown>} parameters  of the IntellectMoney node
 * @param {Record<string, unknown>} [settings]  of the IntellectMoney node (e.g. onError)
 */
function flow(id, name, items, parameters, settings = {}) {
	const nodeId = (/** @type {number} */ n) =>
		`${id.slice(-8).toLowerCase()}-0000-4000-8000-00000000000${n}`;
	const itemsJson = JSON.stringify({ items }).replace(
		/^\{/,
		'{"executionId": "{{ $execution.id }}", ',
	);
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		connections: {
			Start: { main: [[{ node: ITEMS_NODE, type: 'main', index: 0 }]] },
			[ITEMS_NODE]: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: IM_NODE, type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: nodeId(1),
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: nodeId(2),
				name: ITEMS_NODE,
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: `=${itemsJson}`, options: {} },
			},
			{
				id: nodeId(3),
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'items', options: {} },
			},
			{
				id: nodeId(4),
				name: IM_NODE,
				type: 'n8n-nodes-intellectmoney.intellectMoney',
				typeVersion: 1,
				position: [660, 0],
				...RETRY,
				...settings,
				parameters,
				credentials: {
					intellectMoneyApi: { id: 'imSandboxCred01', name: 'IntellectMoney sandbox' },
				},
			},
		],
	};
}
