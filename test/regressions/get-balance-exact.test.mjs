// @ts-check
/**
 * Regression (issue 20, "Get Balance turns `12345678901234567891` into `…567000.00` and `"1,500"` into
 * `1.500`"): a balance the node cannot carry exactly is an error naming the shape of what was read,
 * never a wrong balance. The rule (validation/money.ts readExactDecimal): a JSON number or a text of
 * digits with `.` as the only separator, at most 15 significant digits.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson } from '../support/harness.mjs';
import { envelope, useHostileHarness } from '../support/hostile.mjs';

const ACCOUNT = 'personal/payment/getAccountData';
const golden = loadWorkflow('account-get-balance');

const h = useHostileHarness();
beforeEach(() => h.server.reset());

/**
 * Runs Get Balance against an answer whose Result is `result`, written as raw JSON text so that a number
 * reaches the node exactly as IntellectMoney would write it.
 * @param {string} resultJson
 */
async function balanceOf(resultJson) {
	const whole = JSON.stringify(envelope({})).replace(/}}$/, `,${resultJson}}}`);
	h.server.on(ACCOUNT, (_request, res) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(whole);
	});
	return await h.run(golden, { items: [{ accountId: '1234567' }] });
}

describe('a balance the node cannot carry exactly is an error, never a wrong balance', () => {
	test.each([
		['a 20-digit number', '"Balance":12345678901234567891', 'a number of 20 significant digits'],
		[
			'a 16-digit number',
			'"Balance":{"Amount":1234567890123456,"Currency":"RUB"}',
			'a number of 16 significant digits',
		],
		[
			'text with a comma',
			'"Balance":"1,500"',
			'the text "9,999" (a comma may be a decimal comma or a thousands separator)',
		],
		['text with a thousands space', '"Balance":"1 500.00"', 'the text "9 999.99"'],
		['20 digits as text', '"Balance":"12345678901234567891"', 'the text of 20 significant digits'],
	])('%s', async (_name, resultJson, shape) => {
		const run = await balanceOf(resultJson);
		const error = /** @type {any} */ (run.nodeError('IntellectMoney'));
		expect(error?.message).toBe(
			"IntellectMoney's answer has no balance this node can read for account 1234567 [item 0]",
		);
		expect(error.description).toContain(`The balance read is ${shape}`);
		expect(run.output('IntellectMoney')).toEqual([]);
	});

	test.each([
		['15 digits, two decimals', '"Balance":1234567890123.45', '1234567890123.45'],
		['15 digits as text', '"Balance":"-123456789012345"', '-123456789012345.00'],
		['a dot decimal as text', '"Balance":{"Amount":"1500.5","Currency":"RUB"}', '1500.50'],
	])('%s is read exactly', async (_name, resultJson, balance) => {
		const [item] = outputJson(await balanceOf(resultJson));
		expect(item).toMatchObject({ accountId: '1234567', balance });
	});
});
