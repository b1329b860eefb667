// @ts-check
/**
 * Purchase → Get Many against a hostile IntellectMoney that answers the invoice list however a test
 * says (test/support/hostile.mjs): pages shorter than asked (a cap of its own), a refusal or a
 * list-less answer midway, a list that moves or ignores Skip, entries of another shop or without an
 * Id, and held invoices whose hold start must come from ChangeDate or cannot be told. Nothing read
 * before a failure is passed on as the whole list.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, withParameters } from '../support/harness.mjs';
import { answer, envelope, refusal, useHostileHarness } from '../support/hostile.mjs';

const HISTORY = 'personal/payment/getInvoicesHistory';
const HOUR = 60 * 60 * 1000;
const golden = loadWorkflow('purchase-get-many');
const listAll = withParameters(golden, { state: 'any', expiringWithinHours: 0 });

const h = useHostileHarness();
beforeEach(() => h.server.reset());

/** IntellectMoney's date, Moscow time. @param {number} at */
const imDate = (at) => new Date(at + 3 * HOUR).toISOString().slice(0, 19).replace('T', ' ');

/** An InvoiceData. @param {number} n @param {Record<string, unknown>} [more] */
const invoice = (n, more = {}) => ({
	Id: String(3100000000 + n),
	State: 'Paid',
	EShopId: 450000,
	PurchaseOrderId: `order-${n}`,
	Amount: { Amount: 10, Currency: 'RUB' },
	CurrentAmount: { Amount: 10, Currency: 'RUB' },
	CreationDate: '2026-11-20 10:00:00',
	ChangeDate: '2026-11-20 10:05:00',
	...more,
});

/**
 * Serves `list` as the invoice list, at most `cap` per page whatever Take says.
 * @param {Array<Record<string, unknown>>} list @param {number} [cap]
 */
function serveList(list, cap = Infinity) {
	h.server.on(HISTORY, (request, res) => {
		const skip = Number(request.fields.Skip);
		const take = Math.min(Number(request.fields.Take), cap);
		answer(res, 200, envelope({ InvoicesHistoryList: list.slice(skip, skip + take) }));
	});
}

const skips = () => h.server.requestsTo(HISTORY).map((request) => request.fields.Skip);
const ids = (/** @type {any} */ result) => outputJson(result).map((item) => item.invoiceId);

describe('pages and their ends', () => {
	test('pages shorter than asked (a cap of 50) are read on until an empty one', async () => {
		const list = Array.from({ length: 120 }, (_, n) => invoice(n));
		serveList(list, 50);
		const result = await h.run(listAll, { items: [{}] });
		expect(ids(result)).toEqual(list.map((entry) => entry.Id));
		expect(skips()).toEqual(['0', '50', '100', '120']);
	});

	test('a refusal on the second page fails the item with IntellectMoney’s words; nothing passed on', async () => {
		const list = Array.from({ length: 150 }, (_, n) => invoice(n));
		h.server.on(HISTORY, (request, res) => {
			if (request.fields.Skip === '0') {
				answer(res, 200, envelope({ InvoicesHistoryList: list.slice(0, 100) }));
			} else answer(res, 200, refusal(3, 'Слишком много запросов', 'Skip'));
		});
		const result = await h.run(listAll, { items: [{}] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(
			'IntellectMoney refused the request: Слишком много запросов [item 0]',
		);
		expect(result.output('IntellectMoney')).toEqual([]);
		// A refusal is IntellectMoney's answer: not asked again.
		expect(skips()).toEqual(['0', '100']);
	});

	test('an answer without a list (queued, or no InvoicesHistoryList) fails the item', async () => {
		for (const body of [
			{ OperationState: { Code: 1, Desc: 'Запрос поставлен в очередь' }, Result: null },
			envelope({}),
		]) {
			h.server.reset();
			h.server.on(HISTORY, (_request, res) => answer(res, 200, body));
			const result = await h.run(listAll, { items: [{}] });
			const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
			expect(error.message).toBe("IntellectMoney's answer has no invoice list [item 0]");
			expect(result.output('IntellectMoney')).toEqual([]);
		}
	});

	test('a list that repeats an invoice across pages (it moved, or Skip is ignored) fails the item', async () => {
		const page = Array.from({ length: 100 }, (_, n) => invoice(n));
		h.server.on(HISTORY, (_request, res) =>
			answer(res, 200, envelope({ InvoicesHistoryList: page })),
		);
		const result = await h.run(listAll, { items: [{}] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			`Invoice ${page[0].Id} was listed twice: the invoice list changed while it was read [item 0]`,
		);
		expect(result.output('IntellectMoney')).toEqual([]);
		expect(skips()).toEqual(['0', '100']);
	});

	test('a list that never ends stops after 100,000 invoices with an error, passing nothing on', async () => {
		h.server.on(HISTORY, (request, res) => {
			const skip = Number(request.fields.Skip);
			const page = Array.from({ length: 100 }, (_, n) => invoice(skip + n));
			answer(res, 200, envelope({ InvoicesHistoryList: page }));
		});
		const result = await h.run(listAll, { items: [{}] });
		expect(/** @type {any} */ (result.nodeError('IntellectMoney')).message).toBe(
			'More than 100000 invoices match [item 0]',
		);
		expect(result.output('IntellectMoney')).toEqual([]);
		expect(skips()).toHaveLength(1001);
		expect(skips().at(-1)).toBe('100000');
	}, 120_000);

	test('an entry without an Id fails the item; another shop’s entries are left out', async () => {
		serveList([invoice(1), invoice(2, { EShopId: 450001 }), invoice(3)]);
		expect(ids(await h.run(listAll, { items: [{}] }))).toEqual([invoice(1).Id, invoice(3).Id]);
		h.server.reset();
		serveList([invoice(1), { ...invoice(2), Id: null }]);
		const result = await h.run(listAll, { items: [{}] });
		expect(/** @type {any} */ (result.nodeError('IntellectMoney')).message).toBe(
			'IntellectMoney listed an invoice without an Id [item 0]',
		);
	});
});

describe('when a hold began', () => {
	const now = Date.now();
	const paid = now - 65 * HOUR;
	/** A held invoice changed `changedHoursAgo`, with the payments `history`. @param {number} n @param {unknown} history @param {number} [changedHoursAgo] */
	const held = (n, history, changedHoursAgo = 60) =>
		invoice(n, {
			State: 'Held',
			ChangeDate: imDate(now - changedHoursAgo * HOUR),
			...(history === undefined ? {} : { HistoryList: history }),
		});
	/** @param {string} state @param {string} type @param {number} at */
	const payment = (state, type, at) => ({
		Id: 1,
		State: state,
		InvoicePaymentType: type,
		CreationDate: imDate(at),
	});

	test('the earliest confirmed payment; else ChangeDate; else it cannot be told (and the hold is kept)', async () => {
		serveList([
			held(1, [payment('Confirm', 'Purchase', paid + HOUR), payment('Confirm', 'Entry', paid)]),
			held(2, [payment('Created', 'Purchase', paid - HOUR), payment('Canceled', 'Purchase', paid)]),
			held(3, undefined),
			held(4, [payment('Confirm', 'Refund', paid)], 10),
			{ ...held(5, null), ChangeDate: 'yesterday' },
		]);
		const expiring = withParameters(golden, { expiringWithinHours: 12, holdTimeHours: 72 });
		const result = await h.run(expiring, { items: [{}] });
		const moscow = (/** @type {number} */ at) =>
			`${new Date(Math.floor(at / 1000) * 1000 + 3 * HOUR).toISOString().slice(0, 19)}+03:00`;
		expect(
			outputJson(result).map((item) => [item.invoiceId, item.holdStartedFrom, item.holdExpiresAt]),
		).toEqual([
			// Paid 65 h ago: ends in 7 h.
			[invoice(1).Id, 'payment', moscow(paid + 72 * HOUR)],
			// Changed 60 h ago: ends in 12 h (no confirmed payment).
			[invoice(2).Id, 'changeDate', moscow(now - 60 * HOUR + 72 * HOUR)],
			[invoice(3).Id, 'changeDate', moscow(now - 60 * HOUR + 72 * HOUR)],
			// invoice 4: a refund is no hold start; changed 10 h ago, ends in 62 h: left out.
			// No readable date at all: kept, as its hold may be about to end.
			[invoice(5).Id, null, null],
		]);
		expect(outputJson(result)[3]).toMatchObject({ holdStartedAt: null, changedAt: null });
	});
});
