// @ts-check
/**
 * Issue 20, Why 1: Retry On Fail and an operator's re-run forget what an earlier attempt may have
 * done. A refund whose answer was lost, the invoice still reading Paid (a refund shows late): sent on
 * every try, and again by a re-run; by Order ID (no read possible) on every try.
 */
import { describe, expect, test } from '@jest/globals';

import { INVOICE_IDS } from '../model/workflows.mjs';
import { play, repeatingWorld, rerun, runCommand } from './attempts-support.mjs';

const REFUND = `refund:${INVOICE_IDS[0]}`;
const lostEveryTime = /** @type {const} */ (['lost', 'lost', 'lost', 'lost', 'lost']);

describe('a refund whose answer was lost is sent once across attempts', () => {
	test('by Invoice ID, invoice still Paid, Retry On Fail with 3 tries: refunded once', async () => {
		const played = await play(
			repeatingWorld(),
			['Paid', 'Paid'],
			[runCommand('refundById', { tries: 3, moneyFaults: [...lostEveryTime] })],
		);
		expect(played.ledger[REFUND]).toBe(1);
		expect(played.violations).toEqual([]);
	});

	test('by Invoice ID, invoice still Paid, then an operator re-run: refunded once', async () => {
		const played = await play(
			repeatingWorld(),
			['Paid', 'Paid'],
			[runCommand('refundById', { moneyFaults: ['lost'] }), rerun(['lost'])],
		);
		expect(played.ledger[REFUND]).toBe(1);
		expect(played.violations).toEqual([]);
	});

	test('by Order ID (no state read), Retry On Fail with 3 tries: refunded once', async () => {
		const played = await play(
			repeatingWorld(),
			['Paid', 'Paid'],
			[runCommand('refundByOrder', { tries: 3, moneyFaults: [...lostEveryTime] })],
		);
		expect(played.ledger[REFUND]).toBe(1);
		expect(played.violations).toEqual([]);
	});

	test('a lost refund, then a retry that cannot read the invoice first: its error does not say nothing was sent', async () => {
		const played = await play(
			repeatingWorld({ repeat: 'refused' }),
			['Held', 'Held'],
			[
				runCommand('refundById', {
					tries: 2,
					moneyFaults: ['lost'],
					readFaults: ['none', 'refused', 'refused'],
				}),
			],
		);
		expect(played.ledger[REFUND]).toBe(1);
		expect(played.violations).toEqual([]);
	});
});
