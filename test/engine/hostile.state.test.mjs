// @ts-check
/**
 * State reads as evidence, against a hostile server that accepts every repeat: after a lost answer a
 * request goes again only when two reads a little apart both show the target still pending; a
 * refused, empty, foreign or unreadable read is "unknown" and never leads to a resend; a refund that
 * still reads Paid is never resent; a re-run or n8n's Retry On Fail reads first instead of sending
 * blindly; Maximum Amount fails closed; refusals are explained by what the state shows.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, withParameters } from '../support/harness.mjs';
import {
	answer,
	drop,
	envelope,
	refusal,
	useHostileHarness,
	onlyItem,
} from '../support/hostile.mjs';

const CAPTURE = 'merchant/purchaseToPaid';
const REFUND = 'merchant/purchaseToRefund';
const HISTORY = 'personal/payment/getInvoicesHistory';
const EXECUTE = 'personal/payout/executeOperation';
const STATE = 'personal/payout/getOperationState';
const INVOICE_ID = '3000009001';
const ORDER_ID = 'order-9001';
const PAYOUT_ID = '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23';

/** @param {string} name @param {Record<string, unknown>} [parameters] */
const workflow = (name, parameters = {}) =>
	withParameters(loadWorkflow(name), parameters, { continueOnFail: true });
const captureById = workflow('capture-by-invoice-id');
const refundById = workflow('refund-by-invoice-id');
const payout = workflow('payout-execute');
const byInvoice = { items: [{ invoiceId: INVOICE_ID }] };
const byPayout = { items: [{ payoutOperationId: PAYOUT_ID }] };

/** The invoice list IntellectMoney's Personal API answers. @param {string} state @param {Record<string, unknown>} [fields] */
function invoiceList(state, fields = {}) {
	return envelope({
		InvoicesHistoryList: [
			{
				Id: Number(INVOICE_ID),
				State: state,
				PurchaseOrderId: ORDER_ID,
				EShopId: 450000,
				Amount: { Amount: 1500, Currency: 'RUB' },
				CurrentAmount: { Amount: 1500, Currency: 'RUB' },
				...fields,
			},
		],
	});
}

/** A payout state answer. @param {string} state */
const payoutState = (state) =>
	envelope({ PayoutOperationId: PAYOUT_ID, PayoutOperationState: state });

const h = useHostileHarness();
beforeEach(() => h.server.reset());

/**
 * Answers the state path from a list of answers, one per read (the last one repeats).
 * @param {string} path @param {Array<unknown | ((res: any) => void)>} answers
 */
function readsAnswer(path, answers) {
	let reads = 0;
	h.server.on(path, (_request, res) => {
		const next = answers[Math.min(reads, answers.length - 1)];
		reads += 1;
		if (typeof next === 'function') next(res);
		else answer(res, 200, next);
	});
}

describe('after a lost answer, a state read can show it done, never prove it not done', () => {
	test('Held, then Paid: the first capture went through → alreadyDone, captured once', async () => {
		h.server.on(CAPTURE, (_request, res) => drop(res));
		readsAnswer(HISTORY, [invoiceList('Held'), invoiceList('Paid')]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(item).toMatchObject({ captured: true, alreadyDone: true, invoiceId: INVOICE_ID });
		expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
		const [capture] = h.server.requestsTo(CAPTURE);
		const [first, second] = h.server.requestsTo(HISTORY);
		expect(first.at - capture.at).toBeGreaterThanOrEqual(1900);
		expect(second.at - first.at).toBeGreaterThanOrEqual(2900);
	});

	test('Held twice: no proof (a capture may show late), never sent again, reported lost', async () => {
		let captures = 0;
		h.server.on(CAPTURE, (_request, res) => {
			captures += 1;
			if (captures === 1) drop(res);
			else answer(res, 200, envelope({ InvoiceId: Number(INVOICE_ID) }));
		});
		readsAnswer(HISTORY, [invoiceList('Held')]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(item).toMatchObject({ outcome: 'lost' });
		expect(item.description).toContain(
			'the invoice is still Held, and a change may show only later',
		);
		const log = h.server.log.filter((entry) => entry.path !== 'personal/user/getUserToken');
		expect(log.map((entry) => entry.path)).toEqual([CAPTURE, HISTORY, HISTORY]);
	});

	test.each([
		[
			'an empty invoice list',
			envelope({ InvoicesHistoryList: [] }),
			'IntellectMoney lists no invoice 3000009001 for shop 450000',
		],
		[
			'a refused read',
			refusal(3, 'Ошибка поиска', 'InvoiceId'),
			'IntellectMoney refused the read of the invoice (Ошибка поиска; ErrorSourceParam InvoiceId)',
		],
		[
			'a refused user token (still refused after renewal)',
			refusal(2, 'Токен недействителен', 'UserToken'),
			'IntellectMoney refused the read of the invoice (Токен недействителен; ErrorSourceParam UserToken)',
		],
		[
			'the invoice of another shop',
			invoiceList('Held', { EShopId: 999999 }),
			'invoice 3000009001 belongs to shop 999999, not 450000',
		],
		[
			'an HTML page',
			(/** @type {any} */ res) =>
				answer(res, 200, '<html>busy</html>', { 'content-type': 'text/html' }),
			'the read of the invoice got no usable answer',
		],
		['an invoice without a state', invoiceList(''), 'the invoice is without a state'],
	])('capture lost, then %s: unknown, never sent again', async (_case, read, why) => {
		h.server.on(CAPTURE, (_request, res) => drop(res));
		readsAnswer(HISTORY, [read]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
		expect(item.error).toBeDefined();
		expect(item.description).toContain(`The node read the state: ${why}`);
		expect(item.description).toContain('check the invoice in the IntellectMoney cabinet');
	});

	test('Held, then a refused read: unknown, never sent again', async () => {
		h.server.on(CAPTURE, (_request, res) => drop(res));
		readsAnswer(HISTORY, [invoiceList('Held'), refusal(3, 'Сервис недоступен')]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
		expect(item.description).toContain(
			'IntellectMoney refused the read of the invoice (Сервис недоступен)',
		);
	});

	test('a refund of a paid invoice whose answer was lost and that still reads Paid: never resent', async () => {
		h.server.on(REFUND, (_request, res) => drop(res));
		readsAnswer(HISTORY, [invoiceList('Paid')]);
		const item = onlyItem(await h.run(refundById, byInvoice));
		expect(h.server.requestsTo(REFUND)).toHaveLength(1);
		expect(item.error).toBeDefined();
		expect(item.description).toContain(
			'The node read the state: the invoice is still Paid, and a change may show only later, so that proves nothing.',
		);
	});

	test('a release of a held invoice whose answer was lost and that reads Held twice: never sent again', async () => {
		let refunds = 0;
		h.server.on(REFUND, (_request, res) => {
			refunds += 1;
			if (refunds === 1) drop(res);
			else answer(res, 200, envelope({ InvoiceId: Number(INVOICE_ID) }));
		});
		readsAnswer(HISTORY, [invoiceList('Held')]);
		const item = onlyItem(await h.run(refundById, byInvoice));
		expect(item).toMatchObject({ outcome: 'lost' });
		expect(h.server.requestsTo(REFUND)).toHaveLength(1);
		// Read before sending (a re-run must not refund twice), then twice after the lost answer.
		expect(h.server.requestsTo(HISTORY)).toHaveLength(3);
	});

	test.each([
		['refused (the user token expired meanwhile)', refusal(2, 'Токен недействителен', 'UserToken')],
		['empty (no PayoutOperationState)', envelope({ PayoutOperationId: PAYOUT_ID })],
		[
			'about another payout',
			envelope({
				PayoutOperationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
				PayoutOperationState: 'Created',
			}),
		],
		[
			'an XML page',
			(/** @type {any} */ res) =>
				answer(res, 200, '<Error/>', { 'content-type': 'application/xml' }),
		],
	])(
		'payout executed, answer lost, state read %s: executed once, reported',
		async (_case, read) => {
			h.server.on(EXECUTE, (_request, res) => drop(res));
			readsAnswer(STATE, [payoutState('Created'), read]);
			const item = onlyItem(await h.run(payout, byPayout));
			expect(h.server.requestsTo(EXECUTE)).toHaveLength(1);
			expect(item.error).toBeDefined();
			expect(item.description).toContain(
				`Payout ${PAYOUT_ID}: check the payout in the IntellectMoney cabinet`,
			);
		},
	);
});

describe('a re-run or n8n Retry On Fail reads first where IntellectMoney publishes no refusal of a repeat', () => {
	test('a refund run twice: the second run reads Refund → alreadyDone, sends nothing', async () => {
		let state = 'Paid';
		h.server.on(REFUND, (_request, res) => {
			state = 'Refund';
			answer(res, 200, envelope({ InvoiceId: Number(INVOICE_ID) }));
		});
		h.server.on(HISTORY, (_request, res) => answer(res, 200, invoiceList(state)));
		expect(onlyItem(await h.run(refundById, byInvoice))).toMatchObject({
			refunded: true,
			alreadyDone: false,
		});
		expect(onlyItem(await h.run(refundById, byInvoice))).toMatchObject({
			refunded: true,
			alreadyDone: true,
		});
		expect(h.server.requestsTo(REFUND)).toHaveLength(1);
	});

	test('a refund whose invoice cannot be read first is not sent at all', async () => {
		h.server.on(REFUND, (_request, res) => answer(res, 200, envelope({})));
		readsAnswer(HISTORY, [refusal(3, 'Сервис недоступен')]);
		const item = onlyItem(await h.run(refundById, byInvoice));
		expect(h.server.requestsTo(REFUND)).toHaveLength(0);
		expect(item.error).toBe(
			'Invoice 3000009001 was not refunded: its state could not be read first (IntellectMoney refused the read of the invoice (Сервис недоступен)) [item 0]',
		);
	});

	test.each([
		[
			'HTTP 404',
			(/** @type {any} */ res) => answer(res, 404, 'Not Found', { 'content-type': 'text/plain' }),
		],
		['"no such method"', refusal(3, 'Метод не найден')],
		['a success of another shape', envelope({ Items: [] })],
	])(
		'a refund whose invoice read looks like a wrong endpoint (%s): its own error, nothing sent',
		async (_case, read) => {
			h.server.on(REFUND, (_request, res) => answer(res, 200, envelope({})));
			readsAnswer(HISTORY, [read]);
			const item = onlyItem(await h.run(refundById, byInvoice));
			expect(h.server.requestsTo(REFUND)).toHaveLength(0);
			expect(item.outcome).toBe('unreadableFirst');
			expect(item.error).toBe(
				'Invoice 3000009001 was not refunded: its state could not be read first: IntellectMoney\'s live answer does not fit the package\'s inference "invoice-list-shape" [item 0]',
			);
			expect(item.description).toContain('Account → Check Setup');
		},
	);

	test('a payout run twice: the second run reads InProcess → alreadyDone, executes nothing', async () => {
		let state = 'Created';
		h.server.on(EXECUTE, (_request, res) => {
			state = 'InProcess';
			answer(res, 200, payoutState('InProcess'));
		});
		h.server.on(STATE, (_request, res) => answer(res, 200, payoutState(state)));
		expect(onlyItem(await h.run(payout, byPayout))).toMatchObject({
			status: 'processing',
			alreadyDone: false,
		});
		expect(onlyItem(await h.run(payout, byPayout))).toMatchObject({
			status: 'processing',
			alreadyDone: true,
		});
		expect(h.server.requestsTo(EXECUTE)).toHaveLength(1);
	});

	test.each([
		['a refund', refundById, REFUND, HISTORY, invoiceList('Held'), byInvoice],
		['a payout', payout, EXECUTE, STATE, payoutState('Created'), byPayout],
	])(
		'%s with n8n Retry On Fail (3 tries) after a lost answer and unreadable states: sent once',
		async (_case, base, path, statePath, pending, input) => {
			const retrying = structuredClone(base);
			const node = retrying.nodes.find((/** @type {any} */ n) => n.name === 'IntellectMoney');
			delete node.onError;
			Object.assign(node, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });
			let sent = false;
			h.server.on(path, (_request, res) => {
				sent = true;
				drop(res);
			});
			// Pending before the first send; unreadable from then on (a lagging or failing replica).
			h.server.on(statePath, (_request, res) => {
				if (sent) answer(res, 200, '<html>maintenance</html>', { 'content-type': 'text/html' });
				else answer(res, 200, pending);
			});
			const result = await h.run(retrying, input);
			expect(result.status).toBe('error');
			expect(h.server.requestsTo(path)).toHaveLength(1);
		},
	);
});

describe('Maximum Amount fails closed', () => {
	const ceiling = workflow('capture-by-invoice-id', { options: { maxAmount: 1000 } });

	test.each([
		[
			'CurrentAmount null (and a large Amount)',
			{ CurrentAmount: { Amount: null }, Amount: { Amount: 250000 } },
		],
		['no amounts at all', { CurrentAmount: undefined, Amount: undefined }],
		['an empty amount', { CurrentAmount: { Amount: '' } }],
		['a word', { CurrentAmount: { Amount: 'много' } }],
		['zero', { CurrentAmount: { Amount: 0 } }],
		['a negative amount', { CurrentAmount: { Amount: -5 } }],
	])('%s: refused, nothing captured', async (_case, fields) => {
		h.server.on(CAPTURE, (_request, res) => answer(res, 200, envelope({})));
		readsAnswer(HISTORY, [invoiceList('Held', fields)]);
		const item = onlyItem(await h.run(ceiling, byInvoice));
		expect(h.server.requestsTo(CAPTURE)).toHaveLength(0);
		expect(item.error).toBe(
			'Could not read the amount of invoice 3000009001: not captured [item 0]',
		);
	});

	test('250 000 held against a 1 000 ceiling: refused, nothing captured', async () => {
		h.server.on(CAPTURE, (_request, res) => answer(res, 200, envelope({})));
		readsAnswer(HISTORY, [
			invoiceList('Held', { CurrentAmount: { Amount: '250000.00', Currency: 'RUB' } }),
		]);
		const item = onlyItem(await h.run(ceiling, byInvoice));
		expect(h.server.requestsTo(CAPTURE)).toHaveLength(0);
		expect(item.error).toBe(
			'Invoice 3000009001 holds 250000.00 RUB, more than the Maximum Amount 1000.00: not captured [item 0]',
		);
	});
});

describe('a refusal says what it is, from what the state shows', () => {
	const refused = (/** @type {unknown} */ body) =>
		h.server.on(CAPTURE, (_request, res) => answer(res, 200, body));
	const repeatNote = 'this refusal is expected';

	test('a Sign refusal (ErrorSourceParam on Result.State) gets the signature hint, not the repeat note', async () => {
		refused(refusal(2, 'Неверная подпись', 'Sign', { paramOnState: true }));
		readsAnswer(HISTORY, [invoiceList('Held')]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(item.description).toContain('ErrorSourceParam Sign');
		expect(item.description).toContain(
			'the Sign header is SHA-256 of EshopId::OrderId::ToPaid::<Sign Secret Key>',
		);
		expect(item.description).not.toContain(repeatNote);
	});

	test('an invoice the state read shows does not exist: says so', async () => {
		refused(refusal(4, 'Счёт не найден', 'InvoiceId'));
		readsAnswer(HISTORY, [envelope({ InvoicesHistoryList: [] })]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(item.description).toContain(
			"IntellectMoney's state says why: IntellectMoney lists no invoice 3000009001 for shop 450000.",
		);
		expect(item.description).not.toContain(repeatNote);
	});

	test('a Created invoice: nothing is held to capture', async () => {
		refused(refusal(6, 'Счёт не захолдирован', 'InvoiceId'));
		readsAnswer(HISTORY, [invoiceList('Created')]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(item.description).toContain(
			'the invoice is Created: nothing is held to capture (the buyer has not paid yet)',
		);
		expect(item.description).not.toContain(repeatNote);
	});

	test('a refusal while the invoice is still Held is not a repeat', async () => {
		refused(refusal(7, 'Ошибка чека', 'MerchantReceipt'));
		readsAnswer(HISTORY, [invoiceList('Held')]);
		const item = onlyItem(await h.run(captureById, byInvoice));
		expect(item.description).toContain(
			'The invoice is still Held, so this is not the refusal of a repeat.',
		);
		expect(item.description).not.toContain(repeatNote);
	});

	test('by Order ID the state cannot be read: the repeat note stays', async () => {
		refused(refusal(5, 'Счёт уже оплачен', 'OrderId'));
		const item = onlyItem(
			await h.run(workflow('capture-by-order-id'), { items: [{ orderId: ORDER_ID }] }),
		);
		expect(item.description).toContain(repeatNote);
	});
});
