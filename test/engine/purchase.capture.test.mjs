// @ts-check
/**
 * Purchase → Capture through n8n-core's WorkflowExecute against the sandbox. The sandbox's log and
 * ledger are the witnesses: what was sent, whether its signatures held, how often money moved.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';

const ENDPOINT = 'merchant/purchaseToPaid';
const byOrderId = loadWorkflow('capture-by-order-id');
const byInvoiceId = loadWorkflow('capture-by-invoice-id');

const h = useHarness({
	extraCredentials: [{ signSecretKey: 'WRONG-SIGN-KEY', shopSecretKey: 'WRONG-SHOP-KEY' }],
});
beforeEach(() => h.sandbox.clearLog());

describe('capture succeeds', () => {
	test('by Order ID: typed item, one signed request, money moved once', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-1001' });
		const result = await h.run(byOrderId, { items: [{ orderId: 'order-1001' }] });

		expect(result.status).toBe('success');
		expect(result.output('IntellectMoney')).toEqual([
			{
				json: {
					eshopId: '450000',
					orderId: 'order-1001',
					invoiceId: invoice.invoiceId,
					captured: true,
					status: 'captured',
					state: { code: 0, description: 'Успешно обработан' },
					operationState: { code: 0, description: 'Успешно обработана' },
					operationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
					warning: null,
					alreadyDone: false,
					testMode: false,
				},
				pairedItem: { item: 0 },
			},
		]);
		const requests = h.requestsTo(ENDPOINT);
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({
			authValid: true,
			signValid: true,
			hashValid: true,
			verdict: 'accepted',
		});
		expect(requests[0].headers.accept).toBe('application/json');
		expect(requests[0].fields).toEqual({
			EshopId: '450000',
			OrderId: 'order-1001',
			Hash: expect.stringMatching(/^[0-9a-f]{32}$/),
			PurchaseHash: requests[0].fields.Hash,
		});
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(1);
		expect(h.sandbox.getInvoice(invoice.invoiceId)?.state).toBe('Paid');
	});

	test('by Invoice ID: only InvoiceId is sent, signed with an empty OrderId segment', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-2001' });
		const result = await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });

		expect(outputJson(result)).toEqual([
			expect.objectContaining({
				invoiceId: invoice.invoiceId,
				orderId: 'order-2001',
				captured: true,
				status: 'captured',
			}),
		]);
		const [request] = h.requestsTo(ENDPOINT);
		expect(Object.keys(request.fields).sort()).toEqual([
			'EshopId',
			'Hash',
			'InvoiceId',
			'PurchaseHash',
		]);
		expect(request).toMatchObject({ signValid: true, hashValid: true });
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(1);
	});

	test('Cyrillic Order ID from the doc page is signed over UTF-8', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'Покупка №50' });
		const result = await h.run(byOrderId, { items: [{ orderId: 'Покупка №50' }] });
		expect(outputJson(result)[0]).toMatchObject({ orderId: 'Покупка №50', captured: true });
		expect(h.requestsTo(ENDPOINT)[0]).toMatchObject({ signValid: true, hashValid: true });
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(1);
	});

	test('several items: one output each, in order, paired to its input', async () => {
		const invoices = ['order-3001', 'order-3002', 'order-3003'].map((orderId) =>
			h.sandbox.addInvoice({ orderId }),
		);
		const result = await h.run(byOrderId, { items: invoices.map(({ orderId }) => ({ orderId })) });
		const items = result.output('IntellectMoney');
		expect(items.map((item) => [item.json.orderId, item.pairedItem])).toEqual([
			['order-3001', { item: 0 }],
			['order-3002', { item: 1 }],
			['order-3003', { item: 2 }],
		]);
		expect(h.requestsTo(ENDPOINT)).toHaveLength(3);
	});

	test('queued by IntellectMoney (OperationState 1): status queued, not captured', async () => {
		h.sandbox.addInvoice({ orderId: 'order-4001', outcome: 'queued' });
		const result = await h.run(byOrderId, { items: [{ orderId: 'order-4001' }] });
		expect(outputJson(result)[0]).toMatchObject({
			captured: false,
			status: 'queued',
			state: null,
			operationState: { code: 1, description: 'Запрос поставлен в очередь на обработку' },
		});
	});

	test('success with a warning (Result.State.Code 1) shows the warning', async () => {
		h.sandbox.addInvoice({ orderId: 'order-4002', outcome: 'warning' });
		const result = await h.run(byOrderId, { items: [{ orderId: 'order-4002' }] });
		expect(outputJson(result)[0]).toMatchObject({
			captured: true,
			status: 'captured',
			state: { code: 1 },
			warning: 'Успешно, с предупреждением: чек не передан в ОФД',
		});
	});

	test('Include Raw Response adds the whole answer; a receipt object is sent as JSON text', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-4003' });
		const receipt = {
			inn: '7700000000',
			group: 'Main',
			content: { type: 1, positions: [{ quantity: 1, price: 100, tax: 6, text: 'Чайник' }] },
		};
		const workflow = withParameters(byOrderId, {
			options: { includeRaw: true, merchantReceipt: '={{ $json.receipt }}' },
		});
		const result = await h.run(workflow, { items: [{ orderId: 'order-4003', receipt }] });
		const [item] = outputJson(result);
		expect(item.raw).toMatchObject({ OperationState: { Code: 0 }, Result: { State: { Code: 0 } } });
		expect(JSON.parse(h.requestsTo(ENDPOINT)[0].fields.MerchantReceipt)).toEqual(receipt);
		expect(h.sandbox.getInvoice(invoice.invoiceId)?.receipt).toEqual(receipt);
	});
});

describe('capture refused by IntellectMoney', () => {
	test('a re-run of a capture sends nothing; sent anyway, IntellectMoney refuses it and no money moves', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-5001' });
		await h.run(byOrderId, { items: [{ orderId: 'order-5001' }] });
		const again = await h.run(byOrderId, { items: [{ orderId: 'order-5001' }] });
		expect(/** @type {any} */ (again.nodeError('IntellectMoney')).message).toBe(
			'Not captured again: an earlier run may already have captured Order ID order-5001 [item 0]',
		);
		expect(h.requestsTo(ENDPOINT)).toHaveLength(1);
		const anyway = withParameters(byOrderId, { options: { sendAfterEarlierRun: true } });
		const second = await h.run(anyway, { items: [{ orderId: 'order-5001' }] });

		expect(second.status).toBe('error');
		const error = /** @type {any} */ (second.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(
			'Capture refused. IntellectMoney says: Средства по СКО уже зачислены [item 0]',
		);
		expect(error.description).toContain('Result.State.Code 5');
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(1);
	});

	test('an unknown order is refused with IntellectMoney’s description', async () => {
		const result = await h.run(byOrderId, { items: [{ orderId: 'no-such-order' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe('Capture refused. IntellectMoney says: СКО не найден [item 0]');
		expect(error.description).toContain('ErrorSourceParam OrderId');
	});

	test('an invoice that is not held is refused', async () => {
		h.sandbox.addInvoice({ orderId: 'order-5002', state: 'Created' });
		const result = await h.run(byOrderId, { items: [{ orderId: 'order-5002' }] });
		expect(result.nodeError('IntellectMoney')?.message).toBe(
			'Capture refused. IntellectMoney says: СКО не захолдирован [item 0]',
		);
	});

	test('by Order ID, the advice names only what is missing for a state read (Login is set)', async () => {
		const result = await h.run(byOrderId, { items: [{ orderId: 'no-such-order-2' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.description).toContain(
			'identify the invoice by Invoice ID (Login and Password are set)',
		);
		expect(error.description).not.toContain('set Login and Password in the credential');
		// IntellectMoney's codes come last, and no HTTP code: a refusal is an HTTP 200.
		expect(error.description).toMatch(/IntellectMoney's codes: [^]*ErrorSourceParam OrderId\.$/);
		expect(error.httpCode ?? null).toBeNull();
	});

	test('by Invoice ID, an invoice IntellectMoney does not list is "Invoice not found"', async () => {
		const result = await h.run(byInvoiceId, { items: [{ invoiceId: '3999999999' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe('Invoice not found. IntellectMoney says: СКО не найден [item 0]');
		expect(error.description).toContain('lists no invoice 3999999999');
	});

	test('by Invoice ID, a refused capture of an unpaid invoice says its state in the title', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-5012', state: 'Created' });
		const result = await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });
		expect(result.nodeError('IntellectMoney')?.message).toBe(
			'Capture refused: the invoice is Created. IntellectMoney says: СКО не захолдирован [item 0]',
		);
	});

	test('a repeat by Invoice ID is alreadyDone, with no answer shown as its success', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-5013' });
		await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });
		const second = await h.run(byInvoiceId, { items: [{ invoiceId: invoice.invoiceId }] });
		expect(outputJson(second)).toEqual([
			expect.objectContaining({
				captured: true,
				alreadyDone: true,
				state: null,
				operationState: null,
				operationId: null,
				warning: null,
			}),
		]);
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(1);
	});

	test('a wrong Sign Secret Key is refused; the error shows the recipe, not the key', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-5003' });
		const result = await h.run(byOrderId, {
			items: [{ orderId: 'order-5003' }],
			credentials: { signSecretKey: 'WRONG-SIGN-KEY' },
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			'Signature refused: check the Sign Secret Key. IntellectMoney says: Неверная подпись запроса (Sign) [item 0]',
		);
		expect(error.description).toContain('EshopId::OrderId::ToPaid::<Sign Secret Key>');
		expect(error.description).toContain(
			'signed here: 450000::order-5003::ToPaid::<Sign Secret Key>',
		);
		expect(h.requestsTo(ENDPOINT)[0]).toMatchObject({ signValid: false, verdict: 'refused' });
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(0);
	});

	test('a wrong Shop Secret Key is refused with the MD5 recipe', async () => {
		const invoice = h.sandbox.addInvoice({ orderId: 'order-5004' });
		const result = await h.run(byOrderId, {
			items: [{ orderId: 'order-5004' }],
			credentials: { shopSecretKey: 'WRONG-SHOP-KEY' },
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			'Body hash refused: check the Shop Secret Key. IntellectMoney says: Неверная подпись данных (Hash) [item 0]',
		);
		expect(error.description).toContain('MD5 of EshopId::OrderId::ToPaid::<Shop Secret Key>');
		expect(error.description).toContain(
			'hashed here: 450000::order-5004::ToPaid::<Shop Secret Key>',
		);
		expect(h.requestsTo(ENDPOINT)[0]).toMatchObject({ signValid: true, hashValid: false });
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(0);
	});

	test('a wrong Bearer Token is refused', async () => {
		const result = await h.run(byOrderId, {
			items: [{ orderId: 'order-5005' }],
			credentials: { bearerToken: 'WRONG-BEARER-TOKEN' },
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			'Bearer Token refused: check the Bearer Token. IntellectMoney says: Ошибка авторизации: неверный Bearer-токен [item 0]',
		);
		expect(error.description).toContain('Check the Bearer Token');
	});
});

describe('Maximum Amount', () => {
	const capped = (/** @type {number} */ maxAmount) =>
		withParameters(byInvoiceId, { options: { maxAmount } });

	test('under the ceiling: the held amount is read first, then captured', async () => {
		const invoice = h.sandbox.addInvoice({ amount: '100.00' });
		const result = await h.run(capped(500), { items: [{ invoiceId: invoice.invoiceId }] });
		expect(outputJson(result)[0]).toMatchObject({ invoiceId: invoice.invoiceId, captured: true });
		expect(h.sandbox.log.map((e) => e.endpoint)).toEqual([
			'personal/user/getUserToken',
			'personal/payment/getInvoicesHistory',
			ENDPOINT,
		]);
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(1);
	});

	test('over the ceiling: refused before the capture is sent, nothing moves', async () => {
		const invoice = h.sandbox.addInvoice({ amount: '250.00' });
		const result = await h.run(capped(200), { items: [{ invoiceId: invoice.invoiceId }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(
			`Invoice ${invoice.invoiceId} holds 250.00 RUB, more than the Maximum Amount 200.00: not captured [item 0]`,
		);
		expect(h.requestsTo(ENDPOINT)).toHaveLength(0);
		expect(h.sandbox.ledger().captures[invoice.invoiceId]).toBe(0);
	});
});

describe('Continue On Fail', () => {
	test('every item comes out, good or failed, paired to its input; bad input is not sent', async () => {
		h.sandbox.addInvoice({ orderId: 'order-6001' });
		h.sandbox.addInvoice({ orderId: 'order-6004' });
		const workflow = withParameters(byOrderId, {}, { continueOnFail: true });
		const result = await h.run(workflow, {
			items: [
				{ orderId: 'order-6001' },
				{ orderId: 'no-such-order' },
				{ orderId: '   ' },
				{ orderId: 'order-6004' },
			],
		});

		expect(result.status).toBe('success');
		const items = result.output('IntellectMoney');
		expect(items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(items[0].json).toMatchObject({ orderId: 'order-6001', captured: true });
		expect(items[1].json).toEqual({
			error: 'Capture refused. IntellectMoney says: СКО не найден [item 1]',
			description: expect.stringContaining('Result.State.Code 4'),
			outcome: 'refused',
		});
		expect(items[2].json).toEqual({
			error: 'Order ID is empty [item 2]',
			description: 'Enter the Order ID, or map it from the incoming item.',
			outcome: 'invalid',
		});
		expect(items[3].json).toMatchObject({ orderId: 'order-6004', captured: true });
		expect(h.requestsTo(ENDPOINT).map((r) => r.fields.OrderId)).toEqual([
			'order-6001',
			'no-such-order',
			'order-6004',
		]);
	});
});
