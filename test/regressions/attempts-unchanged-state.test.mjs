// @ts-check
/**
 * Issue 20, Why 3: a state read that does not change is no proof. A payout whose state stays Created
 * after a lost executeOperation, and an invoice listed twice ([Held, Paid]), were sent up to 3 times.
 */
import { describe, expect, test } from '@jest/globals';

import { INVOICE_IDS, PAYOUT_IDS } from '../model/workflows.mjs';
import { play, repeatingWorld, runCommand } from './attempts-support.mjs';

describe('a state that does not change never leads to a resend', () => {
	test('a payout still Created after a lost executeOperation, Retry On Fail with 3 tries: executed once', async () => {
		const played = await play(
			repeatingWorld(),
			['Held', 'Held'],
			[
				runCommand('payoutExecute', {
					tries: 3,
					moneyFaults: ['lost', 'lost', 'lost', 'lost', 'lost'],
				}),
			],
		);
		expect(played.ledger[`execute:${PAYOUT_IDS[0]}`]).toBe(1);
		expect(played.violations).toEqual([]);
	});

	test('an invoice listed twice ([Held, Paid]) after a lost capture: captured once', async () => {
		const played = await play(
			repeatingWorld({ showAfterMs: 0 }),
			['Held', 'Held'],
			[
				runCommand('captureById', {
					tries: 3,
					moneyFaults: ['lost', 'lost', 'lost', 'lost', 'lost'],
					readFaults: Array(12).fill('duplicated'),
				}),
			],
		);
		expect(played.ledger[`capture:${INVOICE_IDS[0]}`]).toBe(1);
		expect(played.violations).toEqual([]);
	});
});
