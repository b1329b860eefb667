/**
 * Amounts and ceilings: exact two-decimal amounts built from text, never through a float, and the
 * Maximum Amount options. Pure functions; a failure is an ItemError naming the field and the fix.
 */
import { ItemError } from '../errors';

const AMOUNT = /^(\d{1,10})(?:[.,](\d{1,2}))?$/;

/** Throws the item's error: what is wrong, and how to fix it. */
function fail(message: string, description: string): never {
	throw new ItemError(message, description);
}

/**
 * An amount as IntellectMoney wants it: exactly two decimals with a dot, "10.00" (SDK `Money::toArray`,
 * docs/intellectmoney-api.md §3), at most 13 characters. Built from the text, never through a float, so 0.1 + 0.2 is
 * refused rather than rounded; a number from an expression is accepted when it has at most 2 decimals.
 */
export function validateAmount(value: unknown, field: string): string {
	const text =
		typeof value === 'number' && Number.isFinite(value)
			? String(value)
			: String(value ?? '').trim();
	const match = AMOUNT.exec(text);
	if (typeof value === 'object' || !match) {
		fail(
			`${field} "${text}" is not an amount with at most two decimals`,
			`Enter the ${field} in the currency's main unit with a dot and up to two decimals, e.g. 1500.00 ` +
				`(not kopecks, no spaces or currency signs). A value computed by an expression must be rounded ` +
				`to two decimals first, e.g. {{ $json.total.toFixed(2) }}.`,
		);
	}
	const whole = match[1].replace(/^0+(?=\d)/, '');
	const amount = `${whole}.${(match[2] ?? '').padEnd(2, '0')}`;
	if (/^0\.00$/.test(amount)) {
		fail(`${field} must be more than 0`, `Enter a positive ${field}.`);
	}
	return amount;
}

/** Options → Maximum Amount: undefined when not set (0 or empty); refused unless a positive number. */
export function readCeiling(value: unknown, verb: string): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		fail(
			'Maximum Amount must be a positive number',
			`Set Options → Maximum Amount to the largest amount this node may ${verb}, e.g. 5000, or 0 for no limit.`,
		);
	}
	return value;
}

/**
 * The capture ceiling: undefined when not set (0 or empty); a positive amount otherwise. It needs an
 * Invoice ID, since only an invoice identified that way can be read before capturing.
 */
export function validateMaxAmount(
	value: unknown,
	invoiceId: string | undefined,
): number | undefined {
	const ceiling = readCeiling(value, 'capture');
	if (ceiling === undefined) return undefined;
	if (invoiceId === undefined) {
		fail(
			'Maximum Amount needs Identify By Invoice ID',
			'The node reads the held amount before capturing, and IntellectMoney lists invoices by Invoice ' +
				'ID only. Set Identify By to Invoice ID, or clear Maximum Amount.',
		);
	}
	return ceiling;
}

/** Options → Maximum Amount for an amount the node sends itself: above it, nothing is sent. */
export function validateCeiling(value: unknown, amount: string, what: string): void {
	const ceiling = readCeiling(value, what);
	if (ceiling !== undefined && Number(amount) > ceiling) {
		fail(
			`Amount ${amount} is more than the Maximum Amount ${ceiling.toFixed(2)}: nothing was sent`,
			`Raise Options → Maximum Amount if this is intended.`,
		);
	}
}

/**
 * The most significant digits a decimal read from IntellectMoney may have: every decimal of up to 15
 * digits survives a JSON number (an IEEE double) exactly, and any reader downstream can hold it too.
 */
export const MAX_EXACT_DIGITS = 15;

/** A decimal as IntellectMoney's JSON may carry it: digits, a dot and digits; no sign but `-`. */
const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** An exact decimal as text (`-12.5` → `-12.50`, more decimals kept), or the shape of what was read. */
export type ExactDecimal = { text: string; shape?: undefined } | { shape: string };

/**
 * Reads a decimal without changing it: a JSON number or a text of digits with `.` as the only
 * separator, at most MAX_EXACT_DIGITS significant digits, at least two decimals written out, never
 * rounded. Anything else is refused with its shape (digits as 9, letters as x), never its value:
 * `12345678901234567891` arrives as the double 12345678901234567000 and cannot be told from it, and
 * `"1,500"` may be 1.5 (a decimal comma) or 1500 (a thousands separator).
 */
export function readExactDecimal(value: unknown): ExactDecimal {
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return { shape: 'a number that is not finite' };
		text = String(value);
		if (/e/i.test(text)) return { shape: 'a number in exponent form' };
	} else if (typeof value === 'string') {
		text = value.trim();
	} else {
		return { shape: value === null ? 'null' : `a value of type ${typeof value}` };
	}
	const match = PLAIN_DECIMAL.exec(text);
	const kind = typeof value === 'number' ? 'a number' : 'the text';
	if (!match) {
		const shape = text.slice(0, 24).replace(/\d/g, '9').replace(/\p{L}/gu, 'x');
		const comma = text.includes(',')
			? ' (a comma may be a decimal comma or a thousands separator)'
			: '';
		return { shape: `${kind} "${shape}${text.length > 24 ? '…' : ''}"${comma}` };
	}
	const [, sign, whole, decimals = ''] = match;
	const digits = `${whole}${decimals}`.replace(/^0+/, '').length;
	if (digits > MAX_EXACT_DIGITS) {
		return {
			shape: `${kind} of ${digits} significant digits, more than the ${MAX_EXACT_DIGITS} this node carries exactly`,
		};
	}
	return { text: `${sign}${whole}.${decimals.padEnd(2, '0')}` };
}
