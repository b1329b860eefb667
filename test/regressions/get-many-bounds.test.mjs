// @ts-check
/**
 * Regression (issue 20, "Get Many's 100,000 cap is not checked within a page or on the number of
 * requests"): a hostile IntellectMoney answers the invoice list in ways that break the paging rules.
 * A page longer than asked is refused (NodeApiError, nothing output); the 100,000 cap counts within a
 * page; pages of one invoice each stop at the request bound (1,001 pages), not after 100,000 requests.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, withParameters } from '../support/harness.mjs';
import { answer, envelope, useHostileHarness } from '../support/hostile.mjs';

const HISTORY = 'personal/payment/getInvoicesHistory';
// Every invoice is listed as Paid and only held ones are output: the node reads the whole list, and
// the engine is not asked to carry 100,000 output items.
const listHeld = withParameters(loadWorkflow('purchase-get-many'), { expiringWithinHours: 0 });
const listAll = withParameters(listHeld, { state: 'any' });

const h = useHostileHarness();
beforeEach(() => h.server.reset());

/** An InvoiceData. @param {number} n */
const invoice = (n) => ({
	Id: String(3100000000 + n),
	State: 'Paid',
	EShopId: 450000,
	PurchaseOrderId: `order-${n}`,
	Amount: { Amount: 10, Currency: 'RUB' },
	CurrentAmount: { Amount: 10, Currency: 'RUB' },
	CreationDate: '2026-11-20 10:00:00',
	ChangeDate: '2026-11-20 10:05:00',
});

/**
 * Serves pages of `size` invoices from Skip on, whatever Take says, while `more(skip)` says so.
 * @param {number} size @param {(skip: number) => boolean} more
 */
function servePages(size, more) {
	h.server.on(HISTORY, (request, res) => {
		const skip = Number(request.fields.Skip);
		const page = more(skip) ? Array.from({ length: size }, (_, n) => invoice(skip + n)) : [];
		answer(res, 200, envelope({ InvoicesHistoryList: page }));
	});
}

const requests = () => h.server.requestsTo(HISTORY).length;

describe('Get Many keeps to its bounds', () => {
	test('a page longer than asked is refused with a NodeApiError; nothing is output', async () => {
		servePages(150, (skip) => skip === 0);
		const result = await h.run(listAll, { items: [{}] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error?.name).toBe('NodeApiError');
		expect(error.message).toBe('IntellectMoney sent 150 invoices for a page of 100 [item 0]');
		expect(result.output('IntellectMoney')).toEqual([]);
		expect(requests()).toBe(1);
	});

	test('the 100,000 cap counts within a page: one page of 100,001 invoices is not read on', async () => {
		servePages(100_001, (skip) => skip === 0);
		const result = await h.run(listHeld, { items: [{}] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error?.message).toMatch(/invoices for a page of 100|More than 100000 invoices match/);
		expect(result.output('IntellectMoney')).toEqual([]);
	});

	test('pages of one invoice stop at 1,001 requests with an error, not after 100,000', async () => {
		// Ends by itself after 1,200 pages, so that a node without the bound finishes, and fails here.
		servePages(1, (skip) => skip < 1_200);
		const result = await h.run(listHeld, { items: [{}] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error?.name).toBe('NodeApiError');
		expect(error.message).toBe(
			"IntellectMoney's invoice list did not end within 1001 pages [item 0]",
		);
		expect(error.description).toContain('1001 invoices in 1001 requests');
		expect(result.output('IntellectMoney')).toEqual([]);
		expect(requests()).toBe(1_001);
	}, 120_000);

	test('a list of exactly 100,000 in full pages is read whole: 1,001 requests, the last one empty', async () => {
		servePages(100, (skip) => skip < 100_000);
		const result = await h.run(listHeld, { items: [{}] });
		expect(result.nodeError('IntellectMoney')).toBeUndefined();
		expect(result.output('IntellectMoney')).toEqual([]);
		expect(requests()).toBe(1_001);
	}, 120_000);
});
