// @ts-check
/**
 * Purchase → Get Many through n8n-core's WorkflowExecute against the sandbox: paging with Skip/Take
 * until an empty page (0 invoices, 1, exactly one page, many pages), a page that fails midway (no
 * partial list passed on), the user token renewed between pages, the date filters (sent in Moscow
 * time, whatever zone they came in), the state and "expiring within" filters, Limit, several input
 * items, and the typed items with their hold ends. Each describe block has a sandbox of its own.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';

const HISTORY = 'personal/payment/getInvoicesHistory';
const TOKEN = 'personal/user/getUserToken';
const HOUR = 60 * 60 * 1000;
const golden = loadWorkflow('purchase-get-many');
const listAll = withParameters(golden, { state: 'any', expiringWithinHours: 0 });

/** Moscow wall time of an instant, as the node writes it to n8n. @param {number} at */
const moscowIso = (at) => `${new Date(at + 3 * HOUR).toISOString().slice(0, 19)}+03:00`;

/**
 * Get Many over one creation-date window (so that each case sees only its own invoices).
 * @param {string} from @param {string} to @param {Record<string, unknown>} [more]
 */
const inWindow = (from, to, more = {}) =>
	withParameters(listAll, { filters: { createdFrom: from, createdTo: to }, ...more });

describe('paging: Skip moves on by what came back, until a page is empty', () => {
	const h = useHarness();
	beforeEach(() => h.sandbox.clearLog());

	/**
	 * `count` invoices created one second apart from the start of `month` of 2021 (UTC), and the
	 * Get Many of that month.
	 * @param {number} month @param {number} count
	 */
	function monthOf(month, count) {
		const start = Date.UTC(2021, month, 1);
		const ids = Array.from(
			{ length: count },
			(_, i) =>
				h.sandbox.addInvoice({ state: 'Paid', createdAt: start + 60_000 + i * 1000 }).invoiceId,
		);
		const end = new Date(Date.UTC(2021, month + 1, 1) - 1000).toISOString();
		return { ids, workflow: inWindow(new Date(start).toISOString(), end) };
	}

	test.each([
		['no invoice', 0, 0, ['0']],
		['one invoice', 1, 1, ['0', '1']],
		['exactly one page (100)', 2, 100, ['0', '100']],
		['many pages (250)', 3, 250, ['0', '100', '200', '250']],
	])(
		'%s: one item per invoice, in order, paired with the input item',
		async (_name, month, count, skips) => {
			const { ids, workflow } = monthOf(month, count);
			const result = await h.run(workflow, { items: [{}] });
			expect(result.status).toBe('success');
			const output = result.output('IntellectMoney');
			expect(output.map((item) => item.json.invoiceId)).toEqual(ids);
			expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
			const pages = h.requestsTo(HISTORY);
			expect(pages.map((page) => page.fields.Skip)).toEqual(skips);
			expect(pages.every((page) => page.fields.Take === '100' && page.signValid === true)).toBe(
				true,
			);
			expect(pages.every((page) => page.fields.IncludePaymentTransactions === 'True')).toBe(true);
			expect(pages.every((page) => page.fields.IsHoldingSearch === undefined)).toBe(true);
			// One user token for all the pages.
			expect(h.requestsTo(TOKEN)).toHaveLength(1);
		},
	);

	test('a page that fails midway fails the item: nothing of the list is passed on', async () => {
		const { workflow } = monthOf(8, 250);
		h.sandbox.injectFaults({
			endpoint: HISTORY,
			kind: 'http500',
			count: 3,
			match: { Skip: '100' },
		});
		const result = await h.run(workflow, { items: [{}] });
		expect(result.status).toBe('error');
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe('IntellectMoney answered HTTP 500 [item 0]');
		expect(result.output('IntellectMoney')).toEqual([]);
		// The first page, then the second three times (reads are retried), and no third page.
		expect(h.requestsTo(HISTORY).map((page) => page.fields.Skip)).toEqual([
			'0',
			'100',
			'100',
			'100',
		]);
	});

	test('with Continue On Fail the failed list is one error item, paired with its input item', async () => {
		const { workflow } = monthOf(9, 150);
		h.sandbox.injectFaults({ endpoint: HISTORY, kind: 'html', count: 3, match: { Skip: '100' } });
		const result = await h.run(withParameters(workflow, {}, { continueOnFail: true }), {
			items: [{}],
		});
		expect(result.status).toBe('success');
		const output = result.output('IntellectMoney');
		expect(output).toEqual([
			{
				json: {
					error: "IntellectMoney's answer is not its JSON envelope [item 0]",
					description: expect.stringContaining('The answer: HTTP 200, text/html'),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('a user token refused between two pages is renewed once and the list read on', async () => {
		const { ids, workflow } = monthOf(10, 120);
		h.sandbox.onRequest((entry) => {
			if (entry.endpoint === HISTORY && entry.fields.Skip === '0') h.sandbox.expireUserTokens();
		});
		try {
			const result = await h.run(workflow, { items: [{}] });
			expect(outputJson(result).map((invoice) => invoice.invoiceId)).toEqual(ids);
		} finally {
			h.sandbox.onRequest(undefined);
		}
		expect(h.requestsTo(TOKEN)).toHaveLength(2);
		expect(h.requestsTo(HISTORY).map((page) => [page.fields.Skip, page.verdict])).toEqual([
			['0', 'accepted'],
			['100', 'refused'],
			['100', 'accepted'],
			['120', 'accepted'],
		]);
	});

	test('Limit stops reading once it has enough; several input items each get their own list', async () => {
		const { ids, workflow } = monthOf(11, 230);
		const limited = withParameters(workflow, { returnAll: false, limit: '={{ $json.limit }}' });
		const result = await h.run(limited, { items: [{ limit: 3 }, { limit: 150 }] });
		const output = result.output('IntellectMoney');
		expect(output.map((item) => [item.pairedItem, item.json.invoiceId])).toEqual([
			...ids.slice(0, 3).map((id) => [{ item: 0 }, id]),
			...ids.slice(0, 150).map((id) => [{ item: 1 }, id]),
		]);
		expect(h.requestsTo(HISTORY).map((page) => page.fields.Skip)).toEqual(['0', '0', '100']);
	});
});

describe('filters', () => {
	const h = useHarness();
	beforeEach(() => h.sandbox.clearLog());

	test('date inputs in any zone are sent in Moscow time; one without a zone is Moscow time', async () => {
		const workflow = withParameters(listAll, {
			filters: {
				createdFrom: '2022-03-01T00:00:00Z',
				createdTo: '2022-03-31 23:59:59',
				changedFrom: '2022-03-02T10:00:00.750+05:00',
				changedTo: '2022-04-01T00:00:00-0100',
			},
		});
		const result = await h.run(workflow, { items: [{}] });
		expect(result.status).toBe('success');
		expect(h.requestsTo(HISTORY)[0].fields).toMatchObject({
			EshopId: '450000',
			DateFrom: '2022-03-01 03:00:00',
			DateTo: '2022-03-31 23:59:59',
			ChangeDateFrom: '2022-03-02 08:00:00',
			ChangeDateTo: '2022-04-01 04:00:00',
		});
	});

	test('the ranges include their ends, on the creation and on the change date', async () => {
		const at = Date.UTC(2022, 5, 10, 9, 0, 0);
		const before = h.sandbox.addInvoice({ state: 'Created', createdAt: at - 1000 });
		const first = h.sandbox.addInvoice({ state: 'Held', createdAt: at, paidAt: at + HOUR });
		const last = h.sandbox.addInvoice({
			state: 'Held',
			createdAt: at + 2000,
			paidAt: at + 2 * HOUR,
		});
		const ids = (/** @type {any} */ result) => outputJson(result).map((item) => item.invoiceId);
		const created = await h.run(
			inWindow(new Date(at).toISOString(), new Date(at + 2000).toISOString()),
			{ items: [{}] },
		);
		expect(ids(created)).toEqual([first.invoiceId, last.invoiceId]);
		const changed = await h.run(
			withParameters(listAll, {
				filters: {
					changedFrom: new Date(at + 2 * HOUR).toISOString(),
					changedTo: new Date(at + 2 * HOUR).toISOString(),
				},
			}),
			{ items: [{}] },
		);
		expect(ids(changed)).toEqual([last.invoiceId]);
		expect(ids(created)).not.toContain(before.invoiceId);
	});

	test('State picks InvoiceData.State: held, paid, created, refunded', async () => {
		const day = Date.UTC(2022, 7, 1);
		const made = ['Held', 'Paid', 'Created', 'Refund', 'Held'].map((state, i) =>
			h.sandbox.addInvoice({
				state: /** @type {any} */ (state),
				createdAt: day + i * 1000,
			}),
		);
		const window = [new Date(day).toISOString(), new Date(day + 10_000).toISOString()];
		const byState = async (/** @type {string} */ state) =>
			outputJson(await h.run(inWindow(window[0], window[1], { state }), { items: [{}] })).map(
				(item) => item.invoiceId,
			);
		expect(await byState('held')).toEqual([made[0].invoiceId, made[4].invoiceId]);
		expect(await byState('paid')).toEqual([made[1].invoiceId]);
		expect(await byState('created')).toEqual([made[2].invoiceId]);
		expect(await byState('refund')).toEqual([made[3].invoiceId]);
		expect(await byState('partPaid')).toEqual([]);
		expect(await byState('any')).toHaveLength(5);
	});
});

describe('holds about to expire', () => {
	const h = useHarness();

	test('held, expiring within 12 hours with 72-hour holds: the end is the payment plus the Hold Time', async () => {
		const now = Date.now();
		const paidHoursAgo = [10, 59, 61, 70, 80];
		const made = paidHoursAgo.map((hours) =>
			h.sandbox.addInvoice({
				amount: '780.50',
				createdAt: now - (hours + 1) * HOUR,
				paidAt: now - hours * HOUR,
			}),
		);
		h.sandbox.addInvoice({ state: 'Paid', createdAt: now - 70 * HOUR, paidAt: now - 69 * HOUR });
		const expiring = withParameters(golden, { expiringWithinHours: 12, holdTimeHours: 72 });
		const result = await h.run(expiring, { items: [{}] });
		const items = outputJson(result);
		// Ends in 62, 13, 11, 2 and -8 hours: the last three (one already ended).
		expect(items.map((item) => item.invoiceId)).toEqual(made.slice(2).map((inv) => inv.invoiceId));
		const paidAt = (/** @type {number} */ i) =>
			Math.floor((now - paidHoursAgo[i] * HOUR) / 1000) * 1000;
		expect(items[0]).toEqual({
			eshopId: '450000',
			invoiceId: made[2].invoiceId,
			orderId: made[2].orderId,
			state: 'Held',
			held: true,
			paid: false,
			refunded: false,
			amount: '780.5',
			currentAmount: '780.5',
			currency: 'RUB',
			createdAt: moscowIso(Math.floor((now - 62 * HOUR) / 1000) * 1000),
			changedAt: moscowIso(paidAt(2)),
			testMode: false,
			holdStartedAt: moscowIso(paidAt(2)),
			holdStartedFrom: 'payment',
			holdExpiresAt: moscowIso(paidAt(2) + 72 * HOUR),
		});
		// A shorter Hold Time brings the ends forward: with 48 hours, every hold but the first.
		const shorter = await h.run(withParameters(expiring, { holdTimeHours: 48 }), { items: [{}] });
		expect(outputJson(shorter).map((item) => item.invoiceId)).toEqual(
			made.slice(1).map((inv) => inv.invoiceId),
		);
	});

	test('every held invoice carries its hold end; other states have none', async () => {
		const result = await h.run(withParameters(listAll, { filters: {} }), { items: [{}] });
		const items = outputJson(result);
		expect(items.length).toBeGreaterThan(5);
		for (const item of items) {
			if (item.held) {
				expect(item).toMatchObject({
					holdStartedFrom: 'payment',
					holdExpiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/),
				});
			} else {
				expect(item).toMatchObject({
					holdStartedAt: null,
					holdStartedFrom: null,
					holdExpiresAt: null,
				});
			}
		}
	});
});
