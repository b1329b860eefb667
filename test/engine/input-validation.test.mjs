// @ts-check
/**
 * Bad input is refused with a NodeOperationError that names the field and the fix, before anything
 * is sent: the sandbox's log must stay empty (not even a user-token request).
 */
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, useHarness, withParameters } from '../support/harness.mjs';

const byOrderId = loadWorkflow('capture-by-order-id');
const byInvoiceId = loadWorkflow('capture-by-invoice-id');
const payout = loadWorkflow('payout-execute');
const createInvoice = loadWorkflow('create-invoice');
const refund = loadWorkflow('refund-by-order-id');
const invoiceState = loadWorkflow('purchase-get');
const createPayout = loadWorkflow('payout-create');
const payoutState = loadWorkflow('payout-get');
const invoiceList = withParameters(loadWorkflow('purchase-get-many'), {
	returnAll: false,
	limit: '={{ $json.limit ?? 50 }}',
	expiringWithinHours: '={{ $json.within ?? 12 }}',
	holdTimeHours: '={{ $json.holdTime ?? 72 }}',
	filters: {
		createdFrom: '={{ $json.createdFrom ?? "" }}',
		createdTo: '={{ $json.createdTo ?? "" }}',
		changedFrom: '={{ $json.changedFrom ?? "" }}',
		changedTo: '={{ $json.changedTo ?? "" }}',
	},
});
const balance = withParameters(loadWorkflow('account-get-balance'), {
	balanceOn: '={{ $json.balanceOn ?? "" }}',
});
const byCard = withParameters(createPayout, { method: 'card' });
const waitingPayout = withParameters(payout, {
	options: { waitUntilFinal: true, pollIntervalSeconds: 0 },
});
const PAYOUT_ID = '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23';
/** A valid invoice item, to change one field at a time. */
const invoice = {
	orderId: 'order-2001',
	amount: '1500.00',
	expireDate: '2099-01-01T12:00:00Z',
	email: 'buyer@example.com',
};
/** A valid SBP payout item, to change one field at a time. */
const sbp = {
	phone: '+7 900 123-45-67',
	bankId: '100000000111',
	amount: '2500.00',
	recipientName: 'Иванов Иван',
};
const withReceipt = withParameters(byOrderId, {
	options: { merchantReceipt: '={{ $json.receipt }}' },
});
/** @param {any} workflow @param {number} timeoutSeconds */
const withTimeout = (workflow, timeoutSeconds) =>
	withParameters(workflow, { options: { timeoutSeconds } });

const h = useHarness();
afterAll(async () => {
	process.stdout.write(`bad-input cases: ${cases.length}, each refused before sending\n`);
});
beforeEach(() => h.sandbox.clearLog());

/**
 * [case, workflow, input item, credential overrides, expected message (before " [item 0]")]
 * @type {Array<[string, any, Record<string, unknown>, Record<string, string | boolean>, string | RegExp]>}
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
		'Base URL in the IntellectMoney credential is refused: IntellectMoney is only reached over https://',
	],
	[
		'Base URL: IntellectMoney over plain http',
		byOrderId,
		{ orderId: 'order-1' },
		{ baseUrl: 'http://api.intellectmoney.ru/' },
		'Base URL in the IntellectMoney credential is refused: IntellectMoney is only reached over https://',
	],
	...[
		'https://evil.example.com/',
		'https://api.intellectmoney.ru.evil.example/',
		'https://evilintellectmoney.ru/',
		'http://169.254.169.254/latest/meta-data/',
		'http://10.0.0.5:8085/',
		'https://[::ffff:a00:5]/',
	].map(
		(baseUrl) =>
			/** @type {[string, any, Record<string, unknown>, Record<string, string>, RegExp]} */ ([
				`Base URL ${baseUrl}: neither IntellectMoney nor this machine`,
				byOrderId,
				{ orderId: 'order-1' },
				{ baseUrl },
				/^Base URL in the IntellectMoney credential is refused: .+ is neither IntellectMoney \(https:\/\/…intellectmoney\.ru\) nor this machine \(127\.0\.0\.1, ::1, localhost\), and the credential's keys are sent to no other host$/,
			]),
	),
	[
		'Base URL with a user name and password',
		payout,
		{ payoutOperationId: PAYOUT_ID },
		{ baseUrl: 'https://user:secret@api.intellectmoney.ru/' },
		'Base URL in the IntellectMoney credential is refused: it contains a user name or password',
	],
	[
		'Base URL with a query',
		payout,
		{ payoutOperationId: PAYOUT_ID },
		{ baseUrl: 'https://api.intellectmoney.ru/?via=proxy' },
		'Base URL in the IntellectMoney credential is refused: it contains a query (?) or a fragment (#)',
	],
	[
		'Order ID ending with ":" (ambiguous when joined with "::")',
		byOrderId,
		{ orderId: 'order-7:' },
		{},
		'Order ID starts or ends with ":"',
	],
	[
		'Create Invoice: Service Name starting with ":"',
		createInvoice,
		{ ...invoice, serviceName: ':Gift' },
		{},
		'Service Name starts or ends with ":"',
	],
	[
		'Payout Create: Recipient Name ending with ":"',
		createPayout,
		{ ...sbp, recipientName: 'Иванов Иван:' },
		{},
		'Recipient Name starts or ends with ":"',
	],
	[
		'Payout Create: Currency with "::"',
		withParameters(createPayout, { options: { currency: 'R::' } }),
		sbp,
		{},
		'Currency contains "::"',
	],
	[
		'Payout Create: Currency that is not a 3-letter code',
		withParameters(createPayout, { options: { currency: 'R1B' } }),
		sbp,
		{},
		'Currency "R1B" is not a 3-letter code',
	],
	[
		'Merchant Receipt over 64 KB',
		withReceipt,
		{
			orderId: 'order-1',
			receipt: { inn: '7700000000', content: { positions: [{ text: 'x'.repeat(70_000) }] } },
		},
		{},
		'Merchant Receipt is 69 KB; the node sends at most 64 KB',
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
		'Base URL in the IntellectMoney credential is refused: it is not a full address (e.g. https://api.intellectmoney.ru/)',
	],
	[
		'Create Invoice: amount with three decimals',
		createInvoice,
		{ ...invoice, amount: '10.005' },
		{},
		'Amount "10.005" is not an amount with at most two decimals',
	],
	[
		'Create Invoice: float artefact from an expression',
		createInvoice,
		{ ...invoice, amount: 0.1 + 0.2 },
		{},
		'Amount "0.30000000000000004" is not an amount with at most two decimals',
	],
	[
		'Create Invoice: amount in kopecks with a currency sign',
		createInvoice,
		{ ...invoice, amount: '1 500 ₽' },
		{},
		'Amount "1 500 ₽" is not an amount with at most two decimals',
	],
	[
		'Create Invoice: zero amount',
		createInvoice,
		{ ...invoice, amount: '0.00' },
		{},
		'Amount must be more than 0',
	],
	[
		'Create Invoice: negative amount',
		createInvoice,
		{ ...invoice, amount: -5 },
		{},
		'Amount "-5" is not an amount with at most two decimals',
	],
	[
		'Create Invoice: hold without Expire Date',
		createInvoice,
		{ ...invoice, expireDate: '' },
		{},
		'Expire Date is empty',
	],
	[
		'Create Invoice: Expire Date in the past',
		createInvoice,
		{ ...invoice, expireDate: '2020-01-01T00:00:00Z' },
		{},
		'Expire Date 2020-01-01T00:00:00Z is in the past',
	],
	[
		'Create Invoice: Expire Date that is not a date',
		createInvoice,
		{ ...invoice, expireDate: 'tomorrow' },
		{},
		'Expire Date "tomorrow" is not a date',
	],
	[
		'Create Invoice: Hold Time over 119 hours',
		createInvoice,
		{ ...invoice, holdTime: 120 },
		{},
		'Hold Time must be a whole number of hours from 0 to 119',
	],
	[
		'Create Invoice: fractional Hold Time',
		createInvoice,
		{ ...invoice, holdTime: 1.5 },
		{},
		'Hold Time must be a whole number of hours from 0 to 119',
	],
	[
		'Create Invoice: bad email',
		createInvoice,
		{ ...invoice, email: 'buyer at example.com' },
		{},
		'Email "buyer at example.com" is not an email address',
	],
	[
		'Create Invoice: Result URL that is not http(s)',
		createInvoice,
		{ ...invoice, resultUrl: 'javascript:alert(1)' },
		{},
		'Result URL "javascript:alert(1)" is not an http(s) address',
	],
	[
		'Create Invoice: Service Name with ::',
		createInvoice,
		{ ...invoice, serviceName: 'Заказ::1' },
		{},
		'Service Name contains "::"',
	],
	[
		'Create Invoice: live credential without keys',
		createInvoice,
		invoice,
		{ bearerToken: '', signSecretKey: '' },
		'The IntellectMoney credential has no Bearer Token or Sign Secret Key',
	],
	['Release or Refund: empty Order ID', refund, { orderId: '' }, {}, 'Order ID is empty'],
	[
		'Get State: Invoice ID that is an Order ID',
		invoiceState,
		{ invoiceId: 'order-1001' },
		{},
		'Invoice ID "order-1001" is not an IntellectMoney invoice number',
	],
	[
		'Payout Create: phone that is not Russian',
		createPayout,
		{ ...sbp, phone: '+44 20 7946 0958' },
		{},
		'Phone "+44 20 7946 0958" is not a Russian mobile number',
	],
	['Payout Create: no bank', createPayout, { ...sbp, bankId: '' }, {}, 'Bank ID is empty'],
	[
		'Payout Create: card number failing the check digit',
		byCard,
		{ ...sbp, pan: '4111 1111 1111 1112' },
		{},
		'Card Number is not a valid card number',
	],
	[
		'Payout Create: card number too short',
		byCard,
		{ ...sbp, pan: '411111' },
		{},
		'Card Number is not a valid card number',
	],
	[
		'Payout Create: amount with a comma and three decimals',
		createPayout,
		{ ...sbp, amount: '10,999' },
		{},
		'Amount "10,999" is not an amount with at most two decimals',
	],
	[
		'Payout Create: empty recipient',
		createPayout,
		{ ...sbp, recipientName: ' ' },
		{},
		'Recipient Name is empty',
	],
	[
		'Payout Create: over the Maximum Amount',
		withParameters(createPayout, { options: { maxAmount: 1000 } }),
		sbp,
		{},
		'Amount 2500.00 is more than the Maximum Amount 1000.00: nothing was sent',
	],
	[
		'Payout Create: Test Mode credential',
		createPayout,
		sbp,
		{ testMode: true },
		'Payouts are not sent in Test Mode',
	],
	[
		'Payout Execute: Test Mode credential',
		payout,
		{ payoutOperationId: PAYOUT_ID },
		{ testMode: true },
		'Payouts are not sent in Test Mode',
	],
	[
		'Payout Execute: wait with a 0 s check interval',
		waitingPayout,
		{ payoutOperationId: PAYOUT_ID },
		{},
		'Check Every (Seconds) must be a number from 1 to 300',
	],
	[
		'Get Many: a creation range ending before it starts',
		invoiceList,
		{ createdFrom: '2026-11-20T00:00:00+03:00', createdTo: '2026-11-19T23:59:59+03:00' },
		{},
		'Created From is after Created To',
	],
	[
		'Get Many: a change range reversed by the zones',
		invoiceList,
		{ changedFrom: '2026-11-20T10:00:00Z', changedTo: '2026-11-20 12:00:00' },
		{},
		'Changed From is after Changed To',
	],
	[
		'Get Many: a date that is not one',
		invoiceList,
		{ createdFrom: '2026-02-30 10:00:00' },
		{},
		'Created From "2026-02-30 10:00:00" is not a date',
	],
	[
		'Get Many: Limit 0',
		invoiceList,
		{ limit: 0 },
		{},
		'Limit must be a whole number from 1 to 100000',
	],
	[
		'Get Many: a State from an expression that is none',
		withParameters(invoiceList, { state: '={{ $json.state }}' }),
		{ state: 'shipped' },
		{},
		'State "shipped" is not an invoice state',
	],
	[
		'Get Many: Limit with decimals',
		invoiceList,
		{ limit: 2.5 },
		{},
		'Limit must be a whole number from 1 to 100000',
	],
	[
		'Get Many: Limit over 100,000',
		invoiceList,
		{ limit: 100001 },
		{},
		'Limit must be a whole number from 1 to 100000',
	],
	[
		'Get Many: Expiring Within over 119 hours',
		invoiceList,
		{ within: 120 },
		{},
		'Expiring Within (Hours) must be a whole number from 0 to 119',
	],
	[
		'Get Many: Hold Time over 119 hours',
		invoiceList,
		{ holdTime: 120 },
		{},
		'Hold Time must be a whole number of hours from 0 to 119',
	],
	['Get Balance: empty Account ID', balance, { accountId: ' ' }, {}, 'Account ID is empty'],
	[
		'Get Balance: Account ID with ::',
		balance,
		{ accountId: '1234567::x' },
		{},
		'Account ID contains "::"',
	],
	[
		'Get Balance: Balance On in the future',
		balance,
		{ accountId: '1234567', balanceOn: '2999-01-01T00:00:00Z' },
		{},
		'Balance On is in the future',
	],
	[
		'Get Balance: Balance On that is not a date',
		balance,
		{ accountId: '1234567', balanceOn: 'yesterday' },
		{},
		'Balance On "yesterday" is not a date',
	],
	[
		'Payout Get State: id that is not a GUID',
		payoutState,
		{ payoutOperationId: 'payout-42' },
		{},
		'Payout Operation ID "payout-42" is not a GUID',
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
