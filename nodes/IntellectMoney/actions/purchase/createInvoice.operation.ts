/**
 * Purchase → Create Invoice: `POST merchant/createInvoice` (dev/merchant/api/createInvoice, reference
 * §2.1). Creates the invoice the buyer pays on IntellectMoney's payment page; with Hold Mode the paid
 * amount is held until Capture or Release (two-stage payment).
 */
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	optionalText,
	validateAmount,
	validateEmail,
	validateExpireDate,
	validateHoldTime,
	validateMerchantReceipt,
	validateOrderId,
	validateUrl,
} from '../../helpers/inputValidation';
import type { CreateInvoiceOutput, ImCreateInvoiceData, ImEnvelope } from '../../interfaces';
import { intellectMoneyApiRequest, readOperationOutcome, refusedParameter } from '../../transport';
import { sendMoneyMovingRequest } from '../../transport/moneyMoving';
import { ENDPOINTS } from '../../transport/signature';
import { merchantReceiptOption, optionsCollection, requestSettings } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';

/** The payment page (reference §1, dev/merchant/api/createInvoice). */
export const PAYMENT_PAGE_URL = 'https://merchant.intellectmoney.ru/?InvoiceId=';

const CURRENCIES = ['RUB', 'USD', 'EUR', 'TST'];

const properties: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order-1001',
		description:
			'Your purchase number (OrderId), at most 50 characters. Capture and Release find the invoice by it later.',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1500.00',
		description:
			'The amount in the main currency unit, with at most two decimals: 1500 or 1500.00 (sent as exactly "1500.00", never rounded)',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'options',
		options: [
			{ name: 'EUR', value: 'EUR' },
			{ name: 'RUB', value: 'RUB' },
			{ name: 'TST (Test Currency)', value: 'TST' },
			{ name: 'USD', value: 'USD' },
		],
		default: 'RUB',
		description:
			"RecipientCurrency. TST is IntellectMoney's test currency (no real money); a credential in Test Mode always uses TST.",
	},
	{
		displayName: 'Hold Mode',
		name: 'holdMode',
		type: 'boolean',
		default: true,
		description:
			'Whether to hold the paid amount until you capture it (Purchase → Capture) or release it (Purchase → Release or Refund): two-stage payment',
	},
	{
		displayName: 'Hold Time (Hours)',
		name: 'holdTime',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 119 },
		default: 72,
		description:
			'How long IntellectMoney holds the amount after payment, 0–119 hours. What happens when it runs out is not published: capture or release before then.',
		displayOptions: { show: { holdMode: [true] } },
	},
	{
		displayName: 'Expire Date',
		name: 'expireDate',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'Until when the buyer can pay. IntellectMoney requires it with Hold Mode; sent in Moscow time.',
		displayOptions: { show: { holdMode: [true] } },
	},
	optionsCollection(
		{
			displayName: 'Back URL',
			name: 'backUrl',
			type: 'string',
			default: '',
			description: 'Where the "back to shop" link of the payment page leads',
		},
		{
			displayName: 'Buyer Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: 'Email for the receipt and payment notices',
		},
		{
			displayName: 'Buyer Name',
			name: 'userName',
			type: 'string',
			default: '',
			description: 'UserName: the payer, as shown to IntellectMoney',
		},
		{
			displayName: 'Expire Date (Without Hold)',
			name: 'expireDate',
			type: 'dateTime',
			default: '',
			description: 'Until when the buyer can pay an invoice without Hold Mode',
		},
		{
			displayName: 'Fail URL',
			name: 'failUrl',
			type: 'string',
			default: '',
			description: 'Where the buyer lands after a failed payment',
		},
		merchantReceiptOption('when the shop fiscalises through IntellectMoney'),
		{
			displayName: 'Payment Methods',
			name: 'preference',
			type: 'string',
			default: '',
			placeholder: 'e.g. BankCard',
			description:
				'Preference: which payment methods the page offers, as IntellectMoney names them (e.g. BankCard, Sbp). Empty = all the shop has.',
		},
		{
			displayName: 'Result URL',
			name: 'resultUrl',
			type: 'string',
			default: '',
			description:
				"Where IntellectMoney sends this invoice's notifications (overrides the shop's Result URL): the Production URL of an IntellectMoney Trigger",
		},
		{
			displayName: 'Service Name',
			name: 'serviceName',
			type: 'string',
			default: '',
			description: 'What is paid for, shown on the payment page (up to 1024 characters)',
		},
		{
			displayName: 'Success URL',
			name: 'successUrl',
			type: 'string',
			default: '',
			description: 'Where the buyer lands after paying',
		},
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['createInvoice'] } },
	properties,
);

interface CreateInvoiceOptions {
	backUrl?: string;
	email?: string;
	userName?: string;
	expireDate?: string;
	failUrl?: string;
	includeRaw?: boolean;
	merchantReceipt?: unknown;
	preference?: string;
	resultUrl?: string;
	serviceName?: string;
	successUrl?: string;
	timeoutSeconds?: unknown;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	const param = (name: string, fallback?: unknown) =>
		this.getNodeParameter(name, itemIndex, fallback) as unknown;
	const options = param('options', {}) as CreateInvoiceOptions;
	const orderId = validateOrderId(this, itemIndex, context.itemParameter('orderId', itemIndex));
	const amount = validateAmount(this, itemIndex, param('amount'), 'Amount');
	const holdMode = param('holdMode', false) === true;
	const holdTime = holdMode ? validateHoldTime(this, itemIndex, param('holdTime')) : undefined;
	const expireInput = holdMode ? param('expireDate') : options.expireDate;
	const expireDate =
		holdMode || (expireInput !== undefined && expireInput !== '')
			? validateExpireDate(this, itemIndex, expireInput, Date.now())
			: undefined;
	const settings = requestSettings(this, itemIndex, options);
	const { eshopId, testMode } = await context.shop(itemIndex);
	// dev/info/access: TST is the test currency; a Test Mode credential never creates a real invoice.
	const chosenCurrency = String(param('currency', 'RUB'));
	const currency = testMode ? 'TST' : chosenCurrency;
	if (!CURRENCIES.includes(currency)) {
		throw new NodeOperationError(
			this.getNode(),
			`Currency "${currency}" is not one IntellectMoney takes`,
			{ itemIndex, description: `Choose one of ${CURRENCIES.join(', ')}.` },
		);
	}

	const text = (value: unknown, field: string, max: number) =>
		optionalText(this, itemIndex, value, field, max);
	const fields: Record<string, string | undefined> = {
		EshopId: eshopId,
		OrderId: orderId,
		ServiceName: text(options.serviceName, 'Service Name', 1024),
		RecipientAmount: amount,
		RecipientCurrency: currency,
		UserName: text(options.userName, 'Buyer Name', 255),
		Email: validateEmail(this, itemIndex, options.email),
		SuccessUrl: validateUrl(this, itemIndex, options.successUrl, 'Success URL'),
		FailUrl: validateUrl(this, itemIndex, options.failUrl, 'Fail URL'),
		BackUrl: validateUrl(this, itemIndex, options.backUrl, 'Back URL'),
		ResultUrl: validateUrl(this, itemIndex, options.resultUrl, 'Result URL'),
		ExpireDate: expireDate,
		// HoldMode 1/0 as the official SDK writes it (IntellectMoney/intellectmoney-sdk-php,
		// CreateInvoiceDataModel): 0 when off, since an absent value means the shop's own setting, and
		// on a shop that holds by default a "not held" invoice would be held.
		HoldMode: holdMode ? '1' : '0',
		HoldTime: holdTime,
		Preference: text(options.preference, 'Payment Methods', 255),
		MerchantReceipt: validateMerchantReceipt(this, itemIndex, options.merchantReceipt),
	};
	const body: Record<string, string> = {};
	for (const [name, value] of Object.entries(fields)) if (value !== undefined) body[name] = value;

	// Creating an invoice moves no money, but a lost answer may still have created it, and a second
	// invoice for the same order could be paid twice. IntellectMoney lists invoices by InvoiceId only,
	// so the node cannot look it up: a request that may have been processed is not repeated.
	const sent = await sendMoneyMovingRequest<ImCreateInvoiceData, never>(this, itemIndex, {
		endpoint: ENDPOINTS.createInvoice,
		body: () => body,
		send: async () =>
			await intellectMoneyApiRequest.call(this, ENDPOINTS.createInvoice, body, itemIndex, settings),
		unknownStateAdvice: `The invoice may exist already: look for Order ID ${orderId} in the IntellectMoney cabinet before running this again (with the shop option "accept only a unique purchase number", a repeat is refused).`,
		refusalNote: (refusal) =>
			refusedParameter(refusal)?.toLowerCase() === 'orderid'
				? `If an invoice for Order ID ${orderId} was created before (an earlier run, or a lost answer), use it: its Invoice ID is in the IntellectMoney cabinet.`
				: '',
	});
	// Without a state read nothing can come back as already done.
	const envelope = sent.envelope as ImEnvelope<ImCreateInvoiceData>;

	const { queued, ...outcome } = readOperationOutcome(envelope, options.includeRaw === true);
	const invoiceId = envelope.Result?.InvoiceId;
	const output: CreateInvoiceOutput = {
		eshopId,
		orderId,
		invoiceId: invoiceId === undefined || invoiceId === null ? null : String(invoiceId),
		paymentUrl:
			invoiceId === undefined || invoiceId === null ? null : `${PAYMENT_PAGE_URL}${invoiceId}`,
		amount,
		currency,
		holdMode,
		holdTimeHours: holdTime === undefined ? null : Number(holdTime),
		expireDate: expireDate ?? null,
		status: queued ? 'queued' : 'created',
		...outcome,
		alreadyDone: false,
		testMode,
	};
	return output as unknown as IDataObject;
}

/** The order an item creates an invoice for: with Parallel Requests, two for one order never overlap. */
export function concurrencyKey(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): string | undefined {
	const value = context.itemParameter('orderId', itemIndex);
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : undefined;
}
