// @ts-check
/**
 * Issue 20, Why 4: HTTP 429 after the request was carried out was taken as proof that it was not:
 * capture, execute and create invoice each sent 3 times, with no state read even where one exists.
 */
import { describe, expect, test } from '@jest/globals';

import { INVOICE_IDS, NEW_ORDER_IDS, PAYOUT_IDS } from '../model/workflows.mjs';
import { play, repeatingWorld, runCommand } from './attempts-support.mjs';

const after429 = /** @type {const} */ (['http429After', 'http429After', 'http429After']);

describe('HTTP 429 is no proof that a request was not carried out', () => {
	test.each([
		['Capture by Invoice ID', 'captureById', `capture:${INVOICE_IDS[0]}`],
		['Payout Execute', 'payoutExecute', `execute:${PAYOUT_IDS[0]}`],
		['Create Invoice', 'createInvoice', `invoice:${NEW_ORDER_IDS[0]}`],
	])('%s answered 429 after carrying it out: sent once', async (_name, operation, target) => {
		const played = await play(
			repeatingWorld(),
			['Held', 'Held'],
			[
				runCommand(/** @type {any} */ (operation), {
					continueOnFail: true,
					moneyFaults: [...after429],
				}),
			],
		);
		expect(played.ledger[target]).toBe(1);
		expect(played.violations).toEqual([]);
	});
});
