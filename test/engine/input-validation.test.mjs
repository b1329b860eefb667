// @ts-check
/**
 * Bad input is refused with a NodeOperationError that names the field and the fix, before anything
 * is sent: the sandbox's log must stay empty (not even a user-token request).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, startHarness, withParameters } from '../support/harness.mjs';

const byOrderId = loadWorkflow('capture-by-order-id');
const byInvoiceId = loadWorkflow('capture-by-invoice-id');
const payout = loadWorkflow('payout-execute');
const withReceipt = withParameters(byOrderId, {
	options: { merchantReceipt: '={{ $json.receipt }}' },
});
/** @param {any} workflow @param {number} timeoutSeconds */
const withTimeout = (workflow, timeoutSeconds) =>
	withParameters(workflow, { options: { timeoutSeconds } });

/** @type {Awaited<ReturnType<typeof startHarness>>} */
let h;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => {
	process.stdout.write(`bad-input cases: ${cases.length}, each refused before sending\n`);
	await h.stop();
});
beforeEach(() => h.sandbox.clearLog());

/**
 * [case, workflow, input item, credential overrides, expected message (before " [item 0]")]
 * @type {Array<[string, any, Record<string, unknown>, Record<string, string>, string | RegExp]>}
 */
const cases = [
	['empty Order ID', byOrderId, { orderId: '' }, {}, 'Order ID is empty'],
	['whitespace Order ID', byOrderId, { orderId: ' \t ' }, {}, 'Order ID is empty'],
	[
		'Order ID longer than 50',
		byOrderId,
		{ orderId: 'x'.repeat(51) },
		{},
		'Order ID is 51 characters long; IntellectMoney accepts at most 50',
	],
	[
		'Order ID with the :: separator',
		byOrderId,
		{ orderId: 'order::ToPaid' },
		{},
		'Order ID contains "::"',
	],
	[
		'Order ID from an expression that gives an object',
		byOrderId,
		{ orderId: { id: 7 } },
		{},
		'Order ID must be text, not object',
	],
	[
		'Order ID from an expression that gives a list',
		byOrderId,
		{ orderId: ['a'] },
		{},
		'Order ID must be text, not a list',
	],
	['empty Invoice ID', byInvoiceId, { invoiceId: '' }, {}, 'Invoice ID is empty'],
	[
		'Invoice ID not starting with 3',
		byInvoiceId,
		{ invoiceId: '1234567890' },
		{},
		'Invoice ID "1234567890" is not an IntellectMoney invoice number',
	],
	[
		'Invoice ID too short',
		byInvoiceId,
		{ invoiceId: '300000000' },
		{},
		'Invoice ID "300000000" is not an IntellectMoney invoice number',
	],
	[
		'Invoice ID with letters',
		byInvoiceId,
		{ invoiceId: '30000000ab' },
		{},
		'Invoice ID "30000000ab" is not an IntellectMoney invoice number',
	],
	[
		'Invoice ID too long',
		byInvoiceId,
		{ invoiceId: '30000000001' },
		{},
		'Invoice ID is 11 characters long; IntellectMoney accepts at most 10',
	],
	[
		'receipt that is not JSON',
		withReceipt,
		{ orderId: 'order-1', receipt: '{inn: 1' },
		{},
		'Merchant Receipt is not valid JSON',
	],
	[
		'receipt that is a list',
		withReceipt,
		{ orderId: 'order-1', receipt: '[1, 2]' },
		{},
		'Merchant Receipt must be a JSON object',
	],
	[
		'empty payout operation id',
		payout,
		{ payoutOperationId: '' },
		{},
		'Payout Operation ID is empty',
	],
	[
		'payout operation id that is not a GUID',
		payout,
		{ payoutOperationId: 'payout-42' },
		{},
		'Payout Operation ID "payout-42" is not a GUID',
	],
	[
		'GUID with a wrong group length',
		payout,
		{ payoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a2' },
		{},
		/is not a GUID$/,
	],
	[
		'Eshop ID that is not a number (capture)',
		byOrderId,
		{ orderId: 'order-1' },
		{ eshopId: 'shop-1' },
		'Eshop ID in the IntellectMoney credential must be a number of up to 6 digits',
	],
	[
		'Eshop ID with 7 digits (capture)',
		byOrderId,
		{ orderId: 'order-1' },
		{ eshopId: '1234567' },
		'Eshop ID in the IntellectMoney credential must be a number of up to 6 digits',
	],
	[
		'Eshop ID that is not a number (payout)',
		payout,
		{ payoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23' },
		{ eshopId: 'x' },
		'Eshop ID in the IntellectMoney credential must be a number of up to 6 digits',
	],
	[
		'Base URL that is not http(s)',
		byOrderId,
		{ orderId: 'order-1' },
		{ baseUrl: 'ftp://api.intellectmoney.ru/' },
		'Base URL in the IntellectMoney credential must be an http(s) address',
	],
	[
		'Invoice ID in Cyrillic letters',
		byInvoiceId,
		{ invoiceId: 'З000001001' },
		{},
		'Invoice ID "З000001001" is not an IntellectMoney invoice number',
	],
	[
		'Invoice ID with an emoji',
		byInvoiceId,
		{ invoiceId: '300000100🙂' },
		{},
		/is not an IntellectMoney invoice number$/,
	],
	[
		'payout operation id with an emoji',
		payout,
		{ payoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a2🙂' },
		{},
		/is not a GUID$/,
	],
	[
		'Order ID with :: and Cyrillic',
		byOrderId,
		{ orderId: 'Покупка::№50' },
		{},
		'Order ID contains "::"',
	],
	[
		'timeout of 0 seconds (capture)',
		withTimeout(byOrderId, 0),
		{ orderId: 'order-1' },
		{},
		'Timeout (Seconds) must be a number from 1 to 300',
	],
	[
		'negative timeout (payout)',
		withTimeout(payout, -5),
		{ payoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23' },
		{},
		'Timeout (Seconds) must be a number from 1 to 300',
	],
	[
		'timeout over 300 seconds',
		withTimeout(byOrderId, 301),
		{ orderId: 'order-1' },
		{},
		'Timeout (Seconds) must be a number from 1 to 300',
	],
	[
		'Maximum Amount with an Order ID',
		withParameters(byOrderId, { options: { maxAmount: 100 } }),
		{ orderId: 'order-1' },
		{},
		'Maximum Amount needs Identify By Invoice ID',
	],
	[
		'negative Maximum Amount',
		withParameters(byInvoiceId, { options: { maxAmount: -1 } }),
		{ invoiceId: '3000001001' },
		{},
		'Maximum Amount must be a positive number',
	],
	[
		'Base URL that is not a URL',
		payout,
		{ payoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23' },
		{ baseUrl: 'api.intellectmoney.ru' },
		'Base URL in the IntellectMoney credential must be an http(s) address',
	],
];

describe('bad input is refused before anything is sent', () => {
	test.each(cases)('%s', async (_name, workflow, item, credentials, expected) => {
		const result = await h.run(workflow, { items: [item], credentials });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error?.name).toBe('NodeOperationError');
		if (typeof expected === 'string') {
			expect(error.message).toBe(`${expected} [item 0]`);
		} else {
			expect(error.message.replace(/ \[item 0\]$/, '')).toMatch(expected);
		}
		expect(typeof error.description).toBe('string');
		expect(error.description.length).toBeGreaterThan(10);
		expect(h.sandbox.log).toEqual([]);
	});

	test(`the table has ${cases.length} cases`, () => {
		expect(cases.length).toBeGreaterThanOrEqual(20);
	});
});
