/**
 * Rules for text the node sends: required and optional values, values that go into a signature
 * string, email and web addresses. Pure functions; a failure is an ItemError naming the field and the
 * fix.
 */
import { ItemError } from '../errors';

const EMAIL = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;

/** Throws the item's error: what is wrong, and how to fix it. */
function fail(message: string, description: string): never {
	throw new ItemError(message, description);
}

function isHttpUrl(text: string): boolean {
	try {
		const { protocol } = new URL(text);
		return protocol === 'https:' || protocol === 'http:';
	} catch {
		return false;
	}
}

/**
 * A required text value: strings and numbers are accepted (expressions often give numbers), trimmed;
 * objects, empty and whitespace-only values are refused.
 */
export function requireText(value: unknown, field: string, maxLength: number): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		fail(
			`${field} must be text, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`,
			`Set ${field} to a single value, e.g. an expression that picks one field: {{ $json.orderId }}.`,
		);
	}
	const text = String(value).trim();
	if (text === '') {
		fail(`${field} is empty`, `Enter the ${field}, or map it from the incoming item.`);
	}
	// Characters as people count them (code points): an emoji is one, not two UTF-16 units.
	const length = [...text].length;
	if (length > maxLength) {
		fail(
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
export function requireSignable(value: string, field: string): string {
	if (value.includes('::')) {
		fail(
			`${field} contains "::"`,
			`IntellectMoney joins signed fields with "::", so a value with "::" would shift the signature. Remove "::" from the ${field}.`,
		);
	}
	if (value.startsWith(':') || value.endsWith(':')) {
		fail(
			`${field} starts or ends with ":"`,
			`IntellectMoney joins signed fields with "::", so a ":" at the start or end of the ${field} ` +
				`would run into the separator and two different values could sign the same. Remove the ":".`,
		);
	}
	return value;
}

/** A required text value that goes into a signature: requireText, then requireSignable. */
export function requireSignedText(value: unknown, field: string, maxLength: number): string {
	const text = requireText(value, field, maxLength);
	return requireSignable(text, field);
}

/** Optional text: undefined when empty; otherwise as requireText. */
export function optionalText(value: unknown, field: string, maxLength: number): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	return requireSignedText(value, field, maxLength);
}

export function validateEmail(value: unknown): string | undefined {
	const email = optionalText(value, 'Email', 100);
	if (email !== undefined && !EMAIL.test(email)) {
		fail(
			`Email "${email}" is not an email address`,
			"Enter the buyer's email, e.g. buyer@example.com, or leave it empty.",
		);
	}
	return email;
}

/** An optional http(s) address of at most 512 characters (createInvoice URL fields). */
export function validateUrl(value: unknown, field: string): string | undefined {
	const url = optionalText(value, field, 512);
	if (url === undefined) return undefined;
	if (!isHttpUrl(url)) {
		fail(
			`${field} "${url}" is not an http(s) address`,
			`Enter a full address starting with https://, or leave ${field} empty.`,
		);
	}
	return url;
}
