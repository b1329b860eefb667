/**
 * Purchase → Create Invoice: `POST merchant/createInvoice` (dev/merchant/api/createInvoice,
 * docs/intellectmoney-api.md §2.1). Creates the invoice the buyer pays on IntellectMoney's payment
 * page; with Hold Mode the paid amount is held until Capture or Release (two-stage payment).
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ImCreateInvoiceData, ImEnvelope } from '../../../../shared/api';
import { ENDPOINTS } from '../../../../shared/signature';
import { refusalError, refusedParameter } from '../../../../shared/transport/refusal';
import { intellectMoneyApiRequest } from '../../../../shared/transport/request';
import { lostError, outcomeError } from '../../atMostOnce/errors';
import type { AttemptTarget } from '../../atMostOnce/memory';
import { sendAtMostOnce } from '../../atMostOnce/send';
import { ItemError } from '../../errors';
import type { CreateInvoiceOutput } from '../../outputs';
import { validateExpireDate, validateHoldTime } from '../../validation/dates';
import { validateOrderId } from '../../validation/identifiers';
import { validateAmount } from '../../validation/money';
import { validateMerchantReceipt } from '../../validation/receipt';
import { optionalText, validateEmail, validateUrl } from '../../validation/text';
import {
	merchantReceiptOption,
	optionsCollection,
	sendAfterEarlierRunOption,
} from '../common/descriptions';
import { requestSettings } from '../common/options';
import { operationOutcome } from '../common/outcome';
import type { ItemScope, RunScope } from '../scope';
import { orderIdProperty } from './target';

/** The payment page (docs/intellectmoney-api.md §1, dev/merchant/api/createInvoice). */
export const PAYMENT_PAGE_URL = 'https://merchant.intellectmoney.ru/?InvoiceId=';

const CURRENCIES = ['RUB', 'USD', 'EUR', 'TST'];

const properties: INodeProperties[] = [
	orderIdProperty(
		'Your purchase number (OrderId), at most 50 characters. Capture and Release find the invoice by it later.',
	),
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
			'Whether to hold the paid amount until you capture it (Purchase → Capture) or release it ' +
			'(Purchase → Release or Refund): two-stage payment',
	},
	{
		displayName: 'Hold Time (Hours)',
		name: 'holdTime',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 119 },
		default: 72,
		description:
			'How long IntellectMoney holds the amount after payment, 0–119 hours. What happens when it runs ' +
			'out is not published: capture or release before then.',
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
				"Where IntellectMoney sends this invoice's notifications (overrides the shop's Result URL): the " +
				'Production URL of an IntellectMoney Trigger',
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
		sendAfterEarlierRunOption('the invoice for this Order ID'),
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
	sendAfterEarlierRun?: boolean;
}

/** An item's invoice request, read and checked before any item is sent. */
export async function prepare(item: ItemScope, run: RunScope) {
	const options = item.param('options', {}) as CreateInvoiceOptions;
	const orderId = validateOrderId(item.param('orderId'));
	const amount = validateAmount(item.param('amount'), 'Amount');
	const holdMode = item.param('holdMode', false) === true;
	const holdTime = holdMode ? validateHoldTime(item.param('holdTime')) : undefined;
	const expireInput = holdMode ? item.param('expireDate') : options.expireDate;
	const expireDate =
		holdMode || (expireInput !== undefined && expireInput !== '')
			? validateExpireDate(expireInput, Date.now())
			: undefined;
	const settings = requestSettings(options);
	const { eshopId, testMode } = await run.shop();
	// dev/info/access: TST is the test currency; a Test Mode credential never creates a real invoice.
	const chosenCurrency = String(item.param('currency', 'RUB'));
	const currency = testMode ? 'TST' : chosenCurrency;
	if (!CURRENCIES.includes(currency)) {
		throw new ItemError(
			`Currency "${currency}" is not one IntellectMoney takes`,
			`Choose one of ${CURRENCIES.join(', ')}.`,
		);
	}

	const fields: Record<string, string | undefined> = {
		EshopId: eshopId,
		OrderId: orderId,
		ServiceName: optionalText(options.serviceName, 'Service Name', 1024),
		RecipientAmount: amount,
		RecipientCurrency: currency,
		UserName: optionalText(options.userName, 'Buyer Name', 255),
		Email: validateEmail(options.email),
		SuccessUrl: validateUrl(options.successUrl, 'Success URL'),
		FailUrl: validateUrl(options.failUrl, 'Fail URL'),
		BackUrl: validateUrl(options.backUrl, 'Back URL'),
		ResultUrl: validateUrl(options.resultUrl, 'Result URL'),
		ExpireDate: expireDate,
		// HoldMode 1/0 as the official SDK writes it (IntellectMoney/intellectmoney-sdk-php,
		// CreateInvoiceDataModel): 0 when off, since an absent value means the shop's own setting, and
		// on a shop that holds by default a "not held" invoice would be held.
		HoldMode: holdMode ? '1' : '0',
		HoldTime: holdTime,
		Preference: optionalText(options.preference, 'Payment Methods', 255),
		MerchantReceipt: validateMerchantReceipt(options.merchantReceipt),
	};
	const body: Record<string, string> = {};
	for (const [name, value] of Object.entries(fields)) if (value !== undefined) body[name] = value;

	return {
		options,
		orderId,
		amount,
		holdMode,
		holdTime,
		expireDate,
		settings,
		eshopId,
		testMode,
		currency,
		body,
	};
}

type PreparedInvoice = Awaited<ReturnType<typeof prepare>>;

/** The order an invoice is remembered under across runs (atMostOnce/memory.ts). */
export function attempt(prepared: unknown): AttemptTarget {
	const { eshopId, orderId } = prepared as PreparedInvoice;
	return { operation: 'createInvoice', target: `${eshopId}:order:${orderId}` };
}

export async function execute(
	_item: ItemScope,
	run: RunScope,
	prepared: unknown,
): Promise<IDataObject> {
	const {
		options,
		orderId,
		amount,
		holdMode,
		holdTime,
		expireDate,
		settings,
		eshopId,
		testMode,
		currency,
		body,
	} = prepared as PreparedInvoice;
	const node = run.node.getNode();
	// Creating an invoice moves no money, but a lost answer may still have created it, and a second
	// invoice for the same order could be paid twice. IntellectMoney lists invoices by InvoiceId only,
	// so the node cannot look it up: a request that may have been processed is not repeated, in this
	// run or a later one (atMostOnce/memory.ts).
	const sent = await sendAtMostOnce<ImCreateInvoiceData, never>({
		policy: { canRead: false, readFirst: false, renewsToken: false },
		send: async () =>
			await intellectMoneyApiRequest(run.node, ENDPOINTS.createInvoice, body, settings),
		attempt: {
			context: run.node,
			...attempt(prepared),
			acrossRuns: true,
			ignoreEarlierRuns: options.sendAfterEarlierRun === true,
		},
	});
	if (sent.outcome === 'refused') {
		const note =
			refusedParameter(sent.envelope)?.toLowerCase() === 'orderid'
				? `If an invoice for Order ID ${orderId} was created before (an earlier run, or a lost answer), ` +
					`use it: its Invoice ID is in the IntellectMoney cabinet.`
				: '';
		throw outcomeError(
			'refused',
			refusalError(node, sent.envelope, ENDPOINTS.createInvoice, body, note),
		);
	}
	const lookInCabinet =
		`look for Order ID ${orderId} in the IntellectMoney cabinet before running this again (with the ` +
		`shop option "accept only a unique purchase number", a repeat is refused).`;
	if (sent.outcome === 'lost')
		throw lostError(node, sent.lost, ` The invoice may exist already: ${lookInCabinet}`);
	if (sent.outcome === 'notSent') throw outcomeError('notSent', sent.failure.error);
	// This execution's earlier attempt (n8n's Retry On Fail) created it: that invoice, found already done.
	const earlier = sent.outcome === 'alreadyDone' ? sent.earlier : undefined;
	if (sent.outcome !== 'sent' && earlier === undefined) {
		throw outcomeError('earlierRun', {
			node,
			message: `Not created again: an earlier run already sent the invoice for Order ID ${orderId}`,
			description:
				`Nothing was sent. An invoice for this order may exist already: ${lookInCabinet} If none ` +
				`exists, turn on Options → Send Even If an Earlier Run May Have Sent It for one run.`,
		});
	}
	const envelope =
		sent.outcome === 'sent' ? sent.envelope : (earlier as ImEnvelope<ImCreateInvoiceData>);

	const { queued, ...outcome } = operationOutcome(envelope, options.includeRaw === true);
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
		alreadyDone: sent.outcome !== 'sent',
		testMode,
	};
	return output as unknown as IDataObject;
}

/** The order an item creates an invoice for: with Parallel Requests, two for one order never overlap. */
export function concurrencyKey(item: ItemScope): string | undefined {
	const value = item.param('orderId');
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : undefined;
}
