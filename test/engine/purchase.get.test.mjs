// @ts-check
/**
 * Purchase → Get State through n8n-core's WorkflowExecute against the sandbox: the invoice as the
 * Personal API lists it, a TST invoice marked as a test, and the errors for an unknown invoice or a
 * credential without Login.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness } from '../support/harness.mjs';

const HISTORY = 'personal/payment/getInvoicesHistory';
const getState = loadWorkflow('purchase-get');

const h = useHarness();
beforeEach(() => h.sandbox.clearLog());

describe('get the state of an invoice', () => {
	test('a held invoice: typed item, one token and one signed history request', async () => {
		// Created 10:15:00 and paid 10:17:41 Moscow time: the dates come out with their zone.
		const invoice = h.sandbox.addInvoice({
			state: 'Held',
			amount: '2500.00',
			createdAt: Date.parse('2026-11-20T10:15:00+03:00'),
			paidAt: Date.parse('2026-11-20T10:17:41+03:00'),
		});
		const result = await h.run(getState, { items: [{ invoiceId: invoice.invoiceId }] });
		expect(outputJson(result)).toEqual([
			{
				eshopId: '450000',
				invoiceId: invoice.invoiceId,
				orderId: invoice.orderId,
				state: 'Held',
				held: true,
				paid: false,
				refunded: false,
				amount: expect.stringMatching(/^2500(\.0+)?$/),
				currentAmount: expect.stringMatching(/^2500(\.0+)?$/),
				currency: 'RUB',
				createdAt: '2026-11-20T10:15:00+03:00',
				changedAt: '2026-11-20T10:17:41+03:00',
				testMode: false,
			},
		]);
		expect(h.requestsTo(HISTORY)).toHaveLength(1);
		expect(h.requestsTo(HISTORY)[0]).toMatchObject({ signValid: true, verdict: 'accepted' });
	});

	test('the state follows the invoice: paid after capture, Refund after release', async () => {
		const paid = h.sandbox.addInvoice({ state: 'Paid' });
		const released = h.sandbox.addInvoice({ state: 'Refund' });
		const result = await h.run(getState, {
			items: [{ invoiceId: paid.invoiceId }, { invoiceId: released.invoiceId }],
		});
		expect(
			outputJson(result).map(({ state, paid, refunded }) => ({ state, paid, refunded })),
		).toEqual([
			{ state: 'Paid', paid: true, refunded: false },
			{ state: 'Refund', paid: false, refunded: true },
		]);
		// One user token for the whole execution.
		expect(h.requestsTo('personal/user/getUserToken')).toHaveLength(1);
	});

	test('a TST invoice says testMode: true even with a live credential', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Created', currency: 'TST' });
		const result = await h.run(getState, { items: [{ invoiceId: invoice.invoiceId }] });
		expect(outputJson(result)[0]).toMatchObject({ currency: 'TST', testMode: true });
	});
});

describe('errors', () => {
	test('an invoice the list does not contain is an error that says so', async () => {
		const result = await h.run(getState, { items: [{ invoiceId: '3999999999' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe('Invoice 3999999999 was not found for shop 450000 [item 0]');
	});

	test('a credential without Login is refused at the token request, with IntellectMoney’s words', async () => {
		const invoice = h.sandbox.addInvoice({ state: 'Held' });
		const result = await h.run(getState, {
			items: [{ invoiceId: invoice.invoiceId }],
			credentials: { login: '', password: '' },
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^IntellectMoney refused the request: .+ \[item 0\]$/);
		expect(h.requestsTo(HISTORY)).toHaveLength(0);
	});
});
