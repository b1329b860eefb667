/**
 * Checks of user input, run before anything is sent. Each failure is a `NodeOperationError` that names
 * the field and says what to fix.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../../../credentials/IntellectMoneyApi.credentials';

const INVOICE_ID = /^3\d{9}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ESHOP_ID = /^\d{1,6}$/;

function fail(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): never {
	throw new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/**
 * A required text value: strings and numbers are accepted (expressions often give numbers), trimmed;
 * objects, empty and whitespace-only values are refused.
 */
export function requireText(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
	maxLength: number,
): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		fail(
			context,
			itemIndex,
			`${field} must be text, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`,
			`Set ${field} to a single value, e.g. an expression that picks one field: {{ $json.orderId }}.`,
		);
	}
	const text = String(value).trim();
	if (text === '') {
		fail(
			context,
			itemIndex,
			`${field} is empty`,
			`Enter the ${field}, or map it from the incoming item.`,
		);
	}
	// Characters as people count them (code points): an emoji is one, not two UTF-16 units.
	const length = [...text].length;
	if (length > maxLength) {
		fail(
			context,
			itemIndex,
			`${field} is ${length} characters long; IntellectMoney accepts at most ${maxLength}`,
			`Shorten the ${field}.`,
		);
	}
	return text;
}

/** A value that goes into a signature string must not contain its separator `::`. */
export function requireSignable(
	context: IExecuteFunctions,
	itemIndex: number,
	value: string,
	field: string,
): string {
	if (value.includes('::')) {
		fail(
			context,
			itemIndex,
			`${field} contains "::"`,
			`IntellectMoney joins signed fields with "::", so a value with "::" would shift the signature. Remove "::" from the ${field}.`,
		);
	}
	return value;
}

/** The shop's purchase number (seeds/004: OrderId, at most 50 characters). */
export function validateOrderId(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string {
	const orderId = requireText(context, itemIndex, value, 'Order ID', 50);
	return requireSignable(context, itemIndex, orderId, 'Order ID');
}

/** IntellectMoney's invoice number (seeds/004: InvoiceId `3xxxxxxxxx`). */
export function validateInvoiceId(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string {
	const invoiceId = requireText(context, itemIndex, value, 'Invoice ID', 10);
	if (!INVOICE_ID.test(invoiceId)) {
		fail(
			context,
			itemIndex,
			`Invoice ID "${invoiceId}" is not an IntellectMoney invoice number`,
			'An Invoice ID has 10 digits and starts with 3, e.g. 3000001001. To capture by your own purchase number, set Identify By to Order ID.',
		);
	}
	return invoiceId;
}

/** A payout operation id (seeds/000: PayoutOperationId, guid). */
export function validatePayoutOperationId(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string {
	const id = requireText(context, itemIndex, value, 'Payout Operation ID', 36);
	if (!GUID.test(id)) {
		fail(
			context,
			itemIndex,
			`Payout Operation ID "${id}" is not a GUID`,
			'Use the PayoutOperationId that IntellectMoney returned when the payout was created, e.g. 5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23.',
		);
	}
	return id.toLowerCase();
}

/** The 54-FZ receipt: a JSON object, given as JSON text or as an object from an expression. */
export function validateMerchantReceipt(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	let receipt: unknown = value;
	if (typeof value === 'string') {
		try {
			receipt = JSON.parse(value);
		} catch (error) {
			fail(
				context,
				itemIndex,
				'Merchant Receipt is not valid JSON',
				`${(error as Error).message}. Paste the receipt as a JSON object: {"inn": "…", "group": "…", "content": {…}}.`,
			);
		}
	}
	if (typeof receipt !== 'object' || receipt === null || Array.isArray(receipt)) {
		fail(
			context,
			itemIndex,
			'Merchant Receipt must be a JSON object',
			'The receipt is one object with inn, group and content (reference: IntellectMoney online receipt, 54-FZ).',
		);
	}
	// IntellectMoney takes the receipt as a JSON string in one field (official SDK: json_encode).
	return JSON.stringify(receipt);
}

/**
 * The capture ceiling: undefined when not set (0 or empty); a positive amount otherwise. It needs an
 * Invoice ID, since only an invoice identified that way can be read before capturing.
 */
export function validateMaxAmount(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	invoiceId: string | undefined,
): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		fail(
			context,
			itemIndex,
			'Maximum Amount must be a positive number',
			'Set Options → Maximum Amount to the largest amount this node may capture, e.g. 5000, or 0 for no limit.',
		);
	}
	if (invoiceId === undefined) {
		fail(
			context,
			itemIndex,
			'Maximum Amount needs Identify By Invoice ID',
			'The node reads the held amount before capturing, and IntellectMoney lists invoices by Invoice ID only. Set Identify By to Invoice ID, or clear Maximum Amount.',
		);
	}
	return value;
}

/** The credential's non-secret settings, checked before the first request. */
export function validateShopSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	eshopId: unknown,
	baseUrl: unknown,
): { eshopId: string; baseUrl: string } {
	const shop = String(eshopId ?? '').trim();
	if (!ESHOP_ID.test(shop)) {
		fail(
			context,
			itemIndex,
			'Eshop ID in the IntellectMoney credential must be a number of up to 6 digits',
			'Open the credential and enter the shop number from lk.intellectmoney.ru → Shops, e.g. 450000.',
		);
	}
	// An empty Base URL means IntellectMoney itself, as in the credential's authenticate.
	const url = String(baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	let protocol = '';
	try {
		protocol = new URL(url).protocol;
	} catch {
		protocol = '';
	}
	if (protocol !== 'https:' && protocol !== 'http:') {
		fail(
			context,
			itemIndex,
			'Base URL in the IntellectMoney credential must be an http(s) address',
			'Open the credential and set Base URL to https://api.intellectmoney.ru/ (or your proxy or sandbox address).',
		);
	}
	return { eshopId: shop, baseUrl: url };
}
