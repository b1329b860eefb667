// @ts-check
/**
 * Purchase → Release or Refund through n8n-core's WorkflowExecute against the sandbox: one call whose
 * effect depends on the invoice (held → released, created → cancelled, paid → refunded), signed with
 * the literal `Refund`, and repeats that never refund twice.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';

const REFUND = 'merchant/purchaseToRefund';
const HISTORY = 'personal/payment/getInvoicesHistory';
const byOrderId = loadWorkflow('refund-by-order-id');
const byInvoiceId = loadWorkflow('refund-by-invoice-id');

const h = useHarness();
beforeEach(() => h.sandbox.clearLog());

describe('release, cancel or refund', () => {
	test.each([
		['a held amount is released', 'Held'],
		['a created (unpaid) invoice is cancelled', 'Created'],
		['a paid invoice is refunded', 'Paid'],
	])('%s: typed item, one signed request, state Refund', async (_name, state) => {
		const invoice = h.sandbox.addInvoice({ state: /** @type {any} */ (state) });
		const result = await h.run(byOrderId, { items: [{ orderId: invoice.orderId }] });
		expect(result.status).toBe('success');
		expect(outputJson(result)).toEqual([
			{
				eshopId: '450000',
				orderId: invoice.orderId,
				invoiceId: expect.anything(),
				refunded: true,
				status: 'refunded',
				state: { code: 0, description: expect.any(String) },
				operationState: { code: 0, description: expect.any(String) },
				operationId: expect.any(String),
				warning: null,
				alreadyDone: false,
				testMode: false,
			},
		]);
		const requests = h.requestsTo(REFUND);
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({ signValid: true, hashValid: true, verdict: 'accepted' });
		expect(requests[0].fields).toEqual({
			EshopId: '450000',
			OrderId: invoice.orderId,
			Hash: expect.stringMatching(/^[0-9a-f]{32}$/),
			PurchaseHash: requests[0].fields.Hash,
		});
		expect(h.sandbox.getInvoice(invoice.invoiceId)?.state).toBe('Refund');
		expect(h.sandbox.ledger().refunds[invoice.invoiceId]).toBe(1);
	});

	test('by Invoice ID: only InvoiceId is sent, signed with an empty OrderId segment', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Held' });
		const result = await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });
		expect(outputJson(result)[0]).toMatchObject({
			invoiceId: invoice.invoiceId,
			refunded: true,
		});
		const [request] = h.requestsTo(REFUND);
		expect(Object.keys(request.fields).sort()).toEqual([
			'EshopId',
			'Hash',
			'InvoiceId',
			'PurchaseHash',
		]);
		expect(request).toMatchObject({ signValid: true, hashValid: true });
	});
});

describe('repeats never refund twice', () => {
	test('by Invoice ID with Login: a re-run reads the invoice first, sees Refund → alreadyDone, sends nothing', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Held' });
		await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });
		h.sandbox.clearLog();
		const second = await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });
		expect(second.status).toBe('success');
		expect(outputJson(second)[0]).toMatchObject({
			invoiceId: invoice.invoiceId,
			orderId: invoice.orderId,
			refunded: true,
			alreadyDone: true,
		});
		// IntellectMoney publishes no rule that refuses a second refund: the node must not rely on one.
		expect(h.requestsTo(REFUND)).toHaveLength(0);
		expect(h.requestsTo(HISTORY)).toHaveLength(1);
		expect(h.sandbox.ledger().refunds[invoice.invoiceId]).toBe(1);
	});

	test('by Order ID: a re-run is not sent (an earlier run sent it), and says how to proceed', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Held' });
		await h.run(byOrderId, { items: [{ orderId: invoice.orderId }] });
		const second = await h.run(byOrderId, { items: [{ orderId: invoice.orderId }] });
		const error = /** @type {any} */ (second.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			`Not refunded again: an earlier run may already have refunded Order ID ${invoice.orderId} [item 0]`,
		);
		expect(error.description).toContain('Send Even If an Earlier Run May Have Sent It');
		expect(h.requestsTo(REFUND)).toHaveLength(1);
		expect(h.sandbox.ledger().refunds[invoice.invoiceId]).toBe(1);
		// The operator's explicit option sends it; IntellectMoney refuses the repeat, nothing moves twice.
		const anyway = withParameters(byOrderId, { options: { sendAfterEarlierRun: true } });
		const third = await h.run(anyway, { items: [{ orderId: invoice.orderId }] });
		const refused = /** @type {any} */ (third.nodeError('IntellectMoney'));
		expect(refused.message).toMatch(/^[A-Z][^.]+\. IntellectMoney says: .+ \[item 0\]$/);
		expect(refused.description).toContain(
			'this refusal is expected and nothing was refunded twice',
		);
		expect(h.sandbox.ledger().refunds[invoice.invoiceId]).toBe(1);
	});

	test('a lost answer by Invoice ID: the state proves it was done → alreadyDone, refunded once', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Held' });
		h.sandbox.injectFaults({ endpoint: REFUND, kind: 'applyThenDrop', count: 1 });
		const result = await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });
		h.sandbox.clearFaults();
		expect(outputJson(result)[0]).toMatchObject({ refunded: true, alreadyDone: true });
		expect(h.requestsTo(REFUND)).toHaveLength(1);
		expect(h.sandbox.ledger().refunds[invoice.invoiceId]).toBe(1);
	});

	test('a lost answer by Order ID: an error that says to check the cabinet, nothing repeated', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Held' });
		h.sandbox.injectFaults({ endpoint: REFUND, kind: 'truncated', count: 1 });
		const workflow = withParameters(byOrderId, {}, { continueOnFail: true });
		const result = await h.run(workflow, { items: [{ orderId: invoice.orderId }] });
		h.sandbox.clearFaults();
		const [item] = outputJson(result);
		expect(item.error).toBeDefined();
		expect(item.description).toContain('check the invoice in the IntellectMoney cabinet');
		expect(item.description).toContain('only an invoice identified by Invoice ID can be looked up');
		expect(h.requestsTo(REFUND)).toHaveLength(1);
		expect(h.sandbox.ledger().refunds[invoice.invoiceId]).toBe(1);
	});
});

describe('refused by IntellectMoney', () => {
	test('an unknown order is refused with IntellectMoney’s description', async () => {
		const result = await h.run(byOrderId, { items: [{ orderId: 'no-such-order' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toMatch(/^[A-Z][^.]+\. IntellectMoney says: .+ \[item 0\]$/);
		expect(error.description).toContain('ErrorSourceParam');
	});

	test('a wrong Shop Secret Key: the hint shows the Refund recipe, never the key', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Held' });
		const result = await h.run(byOrderId, {
			items: [{ orderId: invoice.orderId }],
			credentials: { shopSecretKey: 'WRONG-SHOP-KEY' },
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.description).toContain(
			`hashed here: 450000::${invoice.orderId}::Refund::<Shop Secret Key>`,
		);
		expect(JSON.stringify(error)).not.toContain('WRONG-SHOP-KEY');
		expect(h.sandbox.getInvoice(invoice.invoiceId)?.state).toBe('Held');
	});
});
