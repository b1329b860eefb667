/**
 * Checks of user input, run before anything is sent. Each failure is a `NodeOperationError` that names
 * the field and says what to fix.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { checkBaseUrl } from '../../../shared/baseUrl';

const INVOICE_ID = /^3\d{9}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ESHOP_ID = /^\d{1,6}$/;

function isHttpUrl(text: string): boolean {
	try {
		const { protocol } = new URL(text);
		return protocol === 'https:' || protocol === 'http:';
	} catch {
		return false;
	}
}

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

/**
 * A value that goes into a signature string must not contain its separator `::`, nor start or end
 * with `:`: joined, `order-7:` + `Gift` and `order-7` + `:Gift` would sign the same string.
 */
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
	if (value.startsWith(':') || value.endsWith(':')) {
		fail(
			context,
			itemIndex,
			`${field} starts or ends with ":"`,
			`IntellectMoney joins signed fields with "::", so a ":" at the start or end of the ${field} would run into the separator and two different values could sign the same. Remove the ":".`,
		);
	}
	return value;
}

/** A required text value that goes into a signature: requireText, then requireSignable. */
export function requireSignedText(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
	maxLength: number,
): string {
	const text = requireText(context, itemIndex, value, field, maxLength);
	return requireSignable(context, itemIndex, text, field);
}

/** The shop's purchase number (seeds/004: OrderId, at most 50 characters). */
export function validateOrderId(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string {
	return requireSignedText(context, itemIndex, value, 'Order ID', 50);
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
	const text = JSON.stringify(receipt);
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > MAX_RECEIPT_BYTES) {
		fail(
			context,
			itemIndex,
			`Merchant Receipt is ${Math.ceil(bytes / 1024)} KB; the node sends at most ${MAX_RECEIPT_BYTES / 1024} KB`,
			'A 54-FZ receipt lists the positions of one purchase; check that the expression gives one receipt object, not a whole data set.',
		);
	}
	return text;
}

/**
 * The largest receipt sent. IntellectMoney publishes no limit; a receipt of 100 positions is about
 * 25 KB, so 64 KB leaves room while refusing a data set mapped in by mistake.
 */
export const MAX_RECEIPT_BYTES = 64 * 1024;

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
	const ceiling = readCeiling(context, itemIndex, value, 'capture');
	if (ceiling === undefined) return undefined;
	if (invoiceId === undefined) {
		fail(
			context,
			itemIndex,
			'Maximum Amount needs Identify By Invoice ID',
			'The node reads the held amount before capturing, and IntellectMoney lists invoices by Invoice ID only. Set Identify By to Invoice ID, or clear Maximum Amount.',
		);
	}
	return ceiling;
}

/** Options → Maximum Amount: undefined when not set (0 or empty); refused unless a positive number. */
function readCeiling(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	verb: string,
): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		fail(
			context,
			itemIndex,
			'Maximum Amount must be a positive number',
			`Set Options → Maximum Amount to the largest amount this node may ${verb}, e.g. 5000, or 0 for no limit.`,
		);
	}
	return value;
}

/** The credential's non-secret settings, checked before the first request. */
export function validateShopSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: { eshopId: unknown; baseUrl: unknown; testMode: unknown; hasApiKeys: boolean },
): { eshopId: string; baseUrl: string; testMode: boolean } {
	const { eshopId, baseUrl } = settings;
	const testMode = settings.testMode === true;
	if (!testMode && !settings.hasApiKeys) {
		fail(
			context,
			itemIndex,
			'The IntellectMoney credential has no Bearer Token or Sign Secret Key',
			`Open the credential and enter both from lk.intellectmoney.ru → Profile → Security → API, or turn on Test Mode to work with the TST test currency before your contract.`,
		);
	}
	const shop = String(eshopId ?? '').trim();
	if (!ESHOP_ID.test(shop)) {
		fail(
			context,
			itemIndex,
			'Eshop ID in the IntellectMoney credential must be a number of up to 6 digits',
			'Open the credential and enter the shop number from lk.intellectmoney.ru → Shops, e.g. 450000.',
		);
	}
	// The same policy the credential's authenticate applies before it adds any secret.
	const checked = checkBaseUrl(baseUrl);
	if (checked.refused !== undefined) {
		fail(
			context,
			itemIndex,
			`Base URL in the IntellectMoney credential is refused: ${checked.refused}`,
			"Open the credential and set Base URL to https://api.intellectmoney.ru/ (the default), or to this machine (http://127.0.0.1:…/) for the bundled sandbox or a local proxy. To reach IntellectMoney through a corporate proxy, keep the default Base URL and set n8n's proxy (HTTPS_PROXY) instead.",
		);
	}
	return { eshopId: shop, baseUrl: checked.url, testMode };
}

/** Optional text: undefined when empty; otherwise as requireText. */
export function optionalText(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
	maxLength: number,
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	return requireSignedText(context, itemIndex, value, field, maxLength);
}

const AMOUNT = /^(\d{1,10})(?:[.,](\d{1,2}))?$/;

/**
 * An amount as IntellectMoney wants it: exactly two decimals with a dot, "10.00" (SDK `Money::toArray`,
 * reference §3), at most 13 characters. Built from the text, never through a float, so 0.1 + 0.2 is
 * refused rather than rounded; a number from an expression is accepted when it has at most 2 decimals.
 */
export function validateAmount(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
): string {
	const text =
		typeof value === 'number' && Number.isFinite(value)
			? String(value)
			: String(value ?? '').trim();
	const match = AMOUNT.exec(text);
	if (typeof value === 'object' || !match) {
		fail(
			context,
			itemIndex,
			`${field} "${text}" is not an amount with at most two decimals`,
			`Enter the ${field} in the currency's main unit with a dot and up to two decimals, e.g. 1500.00 (not kopecks, no spaces or currency signs). A value computed by an expression must be rounded to two decimals first, e.g. {{ $json.total.toFixed(2) }}.`,
		);
	}
	const whole = match[1].replace(/^0+(?=\d)/, '');
	const amount = `${whole}.${(match[2] ?? '').padEnd(2, '0')}`;
	if (/^0\.00$/.test(amount)) {
		fail(context, itemIndex, `${field} must be more than 0`, `Enter a positive ${field}.`);
	}
	return amount;
}

const EMAIL = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;

export function validateEmail(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string | undefined {
	const email = optionalText(context, itemIndex, value, 'Email', 100);
	if (email !== undefined && !EMAIL.test(email)) {
		fail(
			context,
			itemIndex,
			`Email "${email}" is not an email address`,
			"Enter the buyer's email, e.g. buyer@example.com, or leave it empty.",
		);
	}
	return email;
}

/** An optional http(s) address of at most 512 characters (createInvoice URL fields). */
export function validateUrl(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
): string | undefined {
	const url = optionalText(context, itemIndex, value, field, 512);
	if (url === undefined) return undefined;
	if (!isHttpUrl(url)) {
		fail(
			context,
			itemIndex,
			`${field} "${url}" is not an http(s) address`,
			`Enter a full address starting with https://, or leave ${field} empty.`,
		);
	}
	return url;
}

/** Hold Time: whole hours 0–119 (official SDK `CreateInvoiceDataModel`, reference §2.1). */
export function validateHoldTime(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string {
	const hours = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 0 || hours > 119) {
		fail(
			context,
			itemIndex,
			'Hold Time must be a whole number of hours from 0 to 119',
			'IntellectMoney holds the amount for at most 119 hours. Set Hold Time, e.g. 72.',
		);
	}
	return String(hours);
}

/** Moscow time is UTC+3 all year (no daylight saving since 2014). */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/**
 * Expire Date as IntellectMoney writes dates, `yyyy-MM-dd HH:mm:ss` (reference §2.1). It has no zone;
 * IntellectMoney's own dates are Moscow time, so the instant is written in Moscow time (inference).
 */
export function validateExpireDate(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	now: number,
): string {
	const text = String(value ?? '').trim();
	const instant = text === '' ? NaN : Date.parse(text);
	if (!Number.isFinite(instant)) {
		fail(
			context,
			itemIndex,
			text === '' ? 'Expire Date is empty' : `Expire Date "${text}" is not a date`,
			'Hold Mode needs an Expire Date: when the invoice stops accepting payment, e.g. 2026-12-01T18:00:00+03:00.',
		);
	}
	if (instant <= now) {
		fail(
			context,
			itemIndex,
			`Expire Date ${text} is in the past`,
			'Set an Expire Date in the future: the buyer must be able to pay before it.',
		);
	}
	return new Date(instant + MOSCOW_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** A card number: 13–19 digits passing the Luhn check; spaces and dashes are removed. */
export function validatePan(context: IExecuteFunctions, itemIndex: number, value: unknown): string {
	const pan = String(value ?? '').replace(/[\s-]/g, '');
	let sum = 0;
	for (let i = 0; i < pan.length; i++) {
		let digit = Number(pan[pan.length - 1 - i]);
		if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
		sum += digit;
	}
	if (!/^\d{13,19}$/.test(pan) || sum % 10 !== 0) {
		// The number itself is never repeated in the error: it would stay in the execution log.
		fail(
			context,
			itemIndex,
			'Card Number is not a valid card number',
			'Enter the 13–19 digits of the recipient card (the check digit did not match, or the length is wrong).',
		);
	}
	return pan;
}

/** A Russian mobile number for SBP, written as IntellectMoney's sandbox expects: 7XXXXXXXXXX (inference). */
export function validatePhone(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string {
	const digits = String(value ?? '').replace(/[\s()+-]/g, '');
	const phone = /^8\d{10}$/.test(digits) ? `7${digits.slice(1)}` : digits;
	if (!/^7\d{10}$/.test(phone)) {
		fail(
			context,
			itemIndex,
			`Phone "${String(value ?? '')}" is not a Russian mobile number`,
			'Enter the recipient phone linked to SBP, e.g. +7 900 123-45-67.',
		);
	}
	return phone;
}

/** Options → Maximum Amount for an amount the node sends itself: above it, nothing is sent. */
export function validateCeiling(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	amount: string,
	what: string,
): void {
	const ceiling = readCeiling(context, itemIndex, value, what);
	if (ceiling !== undefined && Number(amount) > ceiling) {
		fail(
			context,
			itemIndex,
			`Amount ${amount} is more than the Maximum Amount ${ceiling.toFixed(2)}: nothing was sent`,
			`Raise Options → Maximum Amount if this is intended.`,
		);
	}
}
