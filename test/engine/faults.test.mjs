// @ts-check
/**
 * The fault matrix: every transport fault the sandbox can inject, on the money-moving request, for
 * Capture (by Invoice ID, which the node can look up; by Order ID, which it cannot), Release or Refund
 * (by Invoice ID) and Execute Payout, with n8n's Retry On Fail off and on. The sandbox's ledger is the judge: no invoice is
 * captured twice, no payout executed twice, and every input item comes out (a result or a clear
 * error). The README's Reliability section shows the same table.
 */
import { describe, expect, test } from '@jest/globals';

import {
	loadWorkflow,
	outputJson,
	useHarness,
	visibleTexts,
	withParameters,
} from '../support/harness.mjs';

const CAPTURE = 'merchant/purchaseToPaid';
const REFUND = 'merchant/purchaseToRefund';
const EXECUTE = 'personal/payout/executeOperation';

/** Faults the request never reached IntellectMoney's processing with, and those it did. */
const NOT_PROCESSED = [
	// Not processed by the sandbox, but the node cannot know: each may have been carried out.
	'reset',
	'timeout',
	'http500',
	'http502',
	'http503',
	'http429',
	'html',
	'xml',
	'redirect307',
	'echoHtml',
];
const PROCESSED = ['truncated', 'applyThenDrop', 'http202', 'drip', 'latency'];
const KINDS = [...NOT_PROCESSED, ...PROCESSED];

const h = useHarness();

/**
 * A workflow with a 1 s request timeout (the 'timeout' fault never answers), optionally with n8n's
 * Retry On Fail (3 tries, no wait) and Continue On Fail, so the item always comes out.
 * @param {string} name @param {boolean} retryOnFail @param {Record<string, unknown>} [parameters]
 */
function faultWorkflow(name, retryOnFail, parameters = {}) {
	const workflow = withParameters(
		loadWorkflow(name),
		{ ...parameters, options: { timeoutSeconds: 1 } },
		{ continueOnFail: true },
	);
	const node = workflow.nodes.find((/** @type {any} */ n) => n.name === 'IntellectMoney');
	if (retryOnFail) Object.assign(node, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });
	return workflow;
}

/**
 * What an item must come out as. 'done' = success; 'done, alreadyDone' = success reported from
 * IntellectMoney's state after the answer was lost; 'error' = an error item telling to check the state.
 * @typedef {'done' | 'done, alreadyDone' | 'error'} Outcome
 */

/** @param {string} kind @param {Target} target @param {boolean} _retryOnFail @returns {{ outcome: Outcome, moved: 0 | 1 }} */
function expected(kind, target, _retryOnFail) {
	const processed = PROCESSED.includes(kind) && kind !== 'latency';
	// A slow answer within the Timeout.
	if (kind === 'latency') return { outcome: 'done', moved: 1 };
	// Every other fault may have been carried out (HTTP 429 too: IntellectMoney publishes none): never
	// sent again, in this attempt or in n8n's next one. Where the state can be read and shows it done,
	// it is reported done (alreadyDone); a state still pending proves nothing (it may show late).
	if (processed) return { outcome: target === 'orderId' ? 'error' : 'done, alreadyDone', moved: 1 };
	return { outcome: 'error', moved: 0 };
}

/** @typedef {'invoiceId' | 'orderId' | 'refund' | 'payout'} Target */
/** @type {Array<[string, Target, boolean]>} */
const matrix = [];
for (const kind of KINDS) {
	for (const target of /** @type {const} */ (['invoiceId', 'orderId', 'refund', 'payout'])) {
		for (const retryOnFail of [false, true]) matrix.push([kind, target, retryOnFail]);
	}
}

describe('fault matrix: nothing moves twice, every item comes out', () => {
	// Cells run at the same time: each fault is matched to its own invoice or payout.
	test.concurrent.each(matrix)('%s on %s, Retry On Fail %s', async (kind, target, retryOnFail) => {
		const fault = { kind: /** @type {any} */ (kind), count: 1, latencyMs: 300 };
		let result;
		let moved;
		/** @type {string} */
		let targetId;
		if (target === 'payout') {
			const operation = h.sandbox.addPayoutOperation();
			targetId = operation.id;
			h.sandbox.injectFaults({
				...fault,
				endpoint: EXECUTE,
				match: { PayoutOperationId: operation.id },
			});
			result = await h.run(faultWorkflow('payout-execute', retryOnFail), {
				items: [{ payoutOperationId: operation.id }],
			});
			moved = h.sandbox.ledger().payoutExecutions[operation.id];
		} else if (target === 'refund') {
			const invoice = h.sandbox.addInvoice({ state: 'Held' });
			targetId = invoice.invoiceId;
			h.sandbox.injectFaults({
				...fault,
				endpoint: REFUND,
				match: { InvoiceId: invoice.invoiceId },
			});
			result = await h.run(faultWorkflow('refund-by-invoice-id', retryOnFail), {
				items: [{ invoiceId: invoice.invoiceId }],
			});
			moved = h.sandbox.ledger().refunds[invoice.invoiceId];
		} else {
			const invoice = h.sandbox.addInvoice();
			targetId = invoice.invoiceId;
			/** @type {Record<string, string>} */
			const match =
				target === 'invoiceId' ? { InvoiceId: invoice.invoiceId } : { OrderId: invoice.orderId };
			h.sandbox.injectFaults({ ...fault, endpoint: CAPTURE, match });
			const workflow = faultWorkflow(
				target === 'invoiceId' ? 'capture-by-invoice-id' : 'capture-by-order-id',
				retryOnFail,
			);
			result = await h.run(workflow, {
				items: [{ invoiceId: invoice.invoiceId, orderId: invoice.orderId }],
			});
			moved = h.sandbox.ledger().captures[invoice.invoiceId];
		}
		h.seen.push(...visibleTexts(result));

		const items = outputJson(result);
		expect(items).toHaveLength(1);
		const [item] = items;
		const outcome = item.error ? 'error' : item.alreadyDone ? 'done, alreadyDone' : 'done';
		expect({ outcome, moved }).toEqual(expected(kind, target, retryOnFail));
		// A redirect is never followed: nothing reached the address it named.
		expect(h.sandbox.log.filter((entry) => entry.endpoint.startsWith('elsewhere/'))).toEqual([]);
		expect(targetId).toBeTruthy();
		if (outcome === 'error') {
			expect(item.outcome).toBe('lost');
			// Every error says to check the state: after a lost answer, or after a repeat that was refused.
			expect(item.description).toMatch(
				/check (it|the payout|the invoice) in the IntellectMoney cabinet/i,
			);
		} else if (target === 'payout') {
			expect(item).toMatchObject({ status: 'processing', payoutState: 'InProcess' });
		} else if (target === 'refund') {
			expect(item).toMatchObject({ refunded: true, status: 'refunded' });
		} else {
			expect(item).toMatchObject({ captured: true, status: 'captured' });
		}
	});
});
