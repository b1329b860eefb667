// @ts-check
/**
 * Purchase → Create Invoice through n8n-core's WorkflowExecute against the sandbox: a held invoice and
 * its payment page, exact amounts, the hold fields IntellectMoney requires together, Test Mode (TST
 * without keys), a repeated Order ID, and a lost answer that is not repeated.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';

const CREATE = 'merchant/createInvoice';
const createInvoice = loadWorkflow('create-invoice');
/** Three days ahead, as an ISO date with an offset (what n8n's date picker gives). */
const EXPIRE = new Date(Date.now() + 3 * 86_400_000).toISOString();

const h = useHarness();
beforeEach(() => h.sandbox.clearLog());

/** Moscow wall-clock time of an instant, as IntellectMoney writes dates. @param {string} iso */
const moscow = (iso) =>
	new Date(Date.parse(iso) + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('create an invoice with hold', () => {
	test('typed item with the payment page; signed request; the sandbox holds a Created invoice', async () => {
		const result = await h.run(createInvoice, {
			items: [
				{
					orderId: 'order-6001',
					amount: '1500',
					expireDate: EXPIRE,
					email: 'anna@example.com',
					serviceName: 'Чайник',
				},
			],
		});
		expect(result.status).toBe('success');
		const [item] = outputJson(result);
		expect(item).toEqual({
			eshopId: '450000',
			orderId: 'order-6001',
			invoiceId: expect.stringMatching(/^3\d{9}$/),
			paymentUrl: `https://merchant.intellectmoney.ru/?InvoiceId=${item.invoiceId}`,
			amount: '1500.00',
			currency: 'RUB',
			holdMode: true,
			holdTimeHours: 72,
			expireDate: moscow(EXPIRE),
			status: 'created',
			state: { code: 0, description: expect.any(String) },
			operationState: { code: 0, description: expect.any(String) },
			operationId: expect.any(String),
			warning: null,
			alreadyDone: false,
			testMode: false,
		});
		const [request] = h.requestsTo(CREATE);
		expect(request).toMatchObject({
			authValid: true,
			signValid: true,
			hashValid: true,
			verdict: 'accepted',
		});
		expect(request.fields).toMatchObject({
			EshopId: '450000',
			OrderId: 'order-6001',
			RecipientAmount: '1500.00',
			RecipientCurrency: 'RUB',
			ServiceName: 'Чайник',
			Email: 'anna@example.com',
			HoldMode: '1',
			HoldTime: '72',
			ExpireDate: moscow(EXPIRE),
			Hash: expect.stringMatching(/^[0-9a-f]{32}$/),
			PurchaseHash: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		// createInvoice's PurchaseHash has its own, shorter formula (official SDK): not a copy of Hash.
		expect(request.fields.PurchaseHash).not.toBe(request.fields.Hash);
		const invoice = h.sandbox.getInvoice(String(item.invoiceId));
		expect(invoice).toMatchObject({
			orderId: 'order-6001',
			state: 'Created',
			amount: '1500.00',
			holdMode: true,
			holdTime: 72,
		});
	});

	test('amounts are exact text: "780,5" is sent as 780.50, a number 99.9 as 99.90', async () => {
		const result = await h.run(createInvoice, {
			items: [
				{ orderId: 'order-6002', amount: '780,5', expireDate: EXPIRE },
				{ orderId: 'order-6003', amount: 99.9, expireDate: EXPIRE },
			],
		});
		expect(outputJson(result).map((item) => item.amount)).toEqual(['780.50', '99.90']);
		expect(h.requestsTo(CREATE).map((r) => r.fields.RecipientAmount)).toEqual(['780.50', '99.90']);
		expect(h.requestsTo(CREATE).every((r) => r.signValid && r.hashValid)).toBe(true);
	});

	test('without Hold Mode: no hold fields are sent and the invoice is paid, not held', async () => {
		const workflow = withParameters(createInvoice, { holdMode: false });
		const result = await h.run(workflow, { items: [{ orderId: 'order-6004', amount: '10' }] });
		const [item] = outputJson(result);
		expect(item).toMatchObject({ holdMode: false, holdTimeHours: null, expireDate: null });
		const [request] = h.requestsTo(CREATE);
		// HoldMode 0, not absent: an absent value means the shop's default, which may be to hold.
		expect(request.fields.HoldMode).toBe('0');
		expect(request.fields).not.toHaveProperty('HoldTime');
		expect(request).toMatchObject({ signValid: true, hashValid: true });
		expect(h.sandbox.payInvoice(String(item.invoiceId)).state).toBe('Paid');
	});

	test('the buyer pays: the invoice is held, ready for Capture', async () => {
		const result = await h.run(createInvoice, {
			items: [{ orderId: 'order-6005', amount: '250.00', expireDate: EXPIRE }],
		});
		const [item] = outputJson(result);
		expect(h.sandbox.payInvoice(String(item.invoiceId)).state).toBe('Held');
	});
});

describe('test mode', () => {
	test('a Test Mode credential without keys creates a TST invoice, unsigned, marked testMode', async () => {
		const result = await h.run(createInvoice, {
			items: [{ orderId: 'order-6101', amount: '10.00', expireDate: EXPIRE }],
			credentials: { testMode: true, bearerToken: '', signSecretKey: '' },
		});
		expect(result.status).toBe('success');
		expect(outputJson(result)[0]).toMatchObject({ currency: 'TST', testMode: true });
		const [request] = h.requestsTo(CREATE);
		expect(request.fields.RecipientCurrency).toBe('TST');
		expect(request.headers).not.toHaveProperty('authorization');
		expect(request.headers).not.toHaveProperty('sign');
		expect(request).toMatchObject({ authValid: null, signValid: null, verdict: 'accepted' });
	});

	test('a Test Mode credential with keys still signs', async () => {
		const result = await h.run(createInvoice, {
			items: [{ orderId: 'order-6102', amount: '10.00', expireDate: EXPIRE }],
			credentials: { testMode: true },
		});
		expect(outputJson(result)[0]).toMatchObject({ currency: 'TST', testMode: true });
		expect(h.requestsTo(CREATE)[0]).toMatchObject({ authValid: true, signValid: true });
	});
});

describe('refusals and lost answers', () => {
	test('a re-run for the same Order ID sends nothing; sent anyway, it is refused and says to use the existing invoice', async () => {
		const item = { orderId: 'order-6201', amount: '10.00', expireDate: EXPIRE };
		await h.run(createInvoice, { items: [item] });
		const again = await h.run(createInvoice, { items: [item] });
		const blocked = /** @type {any} */ (again.nodeError('IntellectMoney'));
		expect(blocked.message).toBe(
			'Not created again: an earlier run already sent the invoice for Order ID order-6201 [item 0]',
		);
		expect(h.requestsTo(CREATE)).toHaveLength(1);
		const anyway = withParameters(createInvoice, { options: { sendAfterEarlierRun: true } });
		const second = await h.run(anyway, { items: [item] });
		const error = /** @type {any} */ (second.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^[A-Z][^.]+\. IntellectMoney says: .+ \[item 0\]$/);
		expect(error.description).toContain('ErrorSourceParam OrderId');
		expect(error.description).toContain('its Invoice ID is in the IntellectMoney cabinet');
	});

	test('a lost answer is not repeated: one request, and the error says to look for the Order ID', async () => {
		h.sandbox.injectFaults({ endpoint: CREATE, kind: 'applyThenDrop', count: 1 });
		const result = await h.run(createInvoice, {
			items: [{ orderId: 'order-6202', amount: '10.00', expireDate: EXPIRE }],
		});
		h.sandbox.clearFaults();
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.description).toContain(
			'look for Order ID order-6202 in the IntellectMoney cabinet',
		);
		expect(h.requestsTo(CREATE)).toHaveLength(1);
		expect(h.sandbox.getInvoice('order-6202')?.state).toBe('Created');
	});

	test('HTTP 503 (it may follow processing) is reported, not repeated', async () => {
		h.sandbox.injectFaults({ endpoint: CREATE, kind: 'http503', count: 1 });
		const result = await h.run(createInvoice, {
			items: [{ orderId: 'order-6203', amount: '10.00', expireDate: EXPIRE }],
		});
		h.sandbox.clearFaults();
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.description).toContain('look for Order ID order-6203');
		expect(h.requestsTo(CREATE)).toHaveLength(1);
	});

	test('HTTP 429 may have been carried out (IntellectMoney publishes none): not sent again', async () => {
		h.sandbox.injectFaults({ endpoint: CREATE, kind: 'http429', count: 1 });
		const result = await h.run(createInvoice, {
			items: [{ orderId: 'order-6204', amount: '10.00', expireDate: EXPIRE }],
		});
		h.sandbox.clearFaults();
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe('IntellectMoney answered HTTP 429 [item 0]');
		expect(error.description).toContain(
			'look for Order ID order-6204 in the IntellectMoney cabinet',
		);
		expect(h.requestsTo(CREATE).map((r) => r.verdict)).toEqual(['refused']);
	});
});
