// @ts-check
/**
 * Issue 20, Why 2: a batch of 2 without Continue On Fail, Retry On Fail on: item 0 succeeds, item 1
 * fails (bad input that could have been refused before anything was sent), and item 0 is sent again
 * on every try.
 */
import { describe, expect, test } from '@jest/globals';

import { INVOICE_IDS, NEW_ORDER_IDS } from '../model/workflows.mjs';
import { play, repeatingWorld, runCommand } from './attempts-support.mjs';

describe('a later item that is bad input does not make n8n resend an earlier one', () => {
	test('Create Invoice, Retry On Fail with 3 tries: one invoice for the order', async () => {
		const played = await play(
			repeatingWorld(),
			['Held', 'Held'],
			[runCommand('createInvoice', { badLast: true, tries: 3 })],
		);
		expect(played.ledger[`invoice:${NEW_ORDER_IDS[0]}`] ?? 0).toBeLessThanOrEqual(1);
		expect(played.violations).toEqual([]);
	});

	test('Refund by Invoice ID of a Paid invoice, Retry On Fail with 3 tries: refunded at most once', async () => {
		const played = await play(
			repeatingWorld(),
			['Paid', 'Paid'],
			[runCommand('refundById', { badLast: true, tries: 3 })],
		);
		expect(played.ledger[`refund:${INVOICE_IDS[0]}`]).toBeLessThanOrEqual(1);
		expect(played.violations).toEqual([]);
	});
});
