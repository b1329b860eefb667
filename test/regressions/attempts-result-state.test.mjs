// @ts-check
/**
 * Issue 20, Why 5: an answer `{"OperationState":{"Code":0}}` without `Result.State` (or with
 * `Result: null`) was reported as `captured: true`. Here the world did not carry it out: no output
 * may claim it was.
 */
import { describe, expect, test } from '@jest/globals';

import { INVOICE_IDS } from '../model/workflows.mjs';
import { play, repeatingWorld, runCommand } from './attempts-support.mjs';

describe('success needs Result.State', () => {
	test.each([
		['no Result', 'bareEnvelope'],
		['Result: null', 'nullResult'],
	])('a capture answered with %s is not reported as captured', async (_name, fault) => {
		const played = await play(
			repeatingWorld(),
			['Held', 'Held'],
			[
				runCommand('captureById', {
					continueOnFail: true,
					moneyFaults: [/** @type {any} */ (fault)],
				}),
			],
		);
		expect(played.ledger[`capture:${INVOICE_IDS[0]}`]).toBe(0);
		const [item] = played.last?.output ?? [];
		expect(item.json).not.toMatchObject({ captured: true, alreadyDone: false });
		expect(played.violations).toEqual([]);
	});
});
