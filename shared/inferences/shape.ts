/**
 * What may be said of a live answer in a setup-check item or an inference error: its field names,
 * types and shapes, never a value. The words are safe to paste into a public bug report: no text,
 * number, token, key, name or amount of the answer is repeated, and a field name is shown only when it
 * looks like a schema word (a value used as a key, e.g. an account number or an e-mail, is not).
 * Pure functions.
 */

/** How deep objects are described; deeper ones are only "object". */
const MAX_DEPTH = 3;
/** How many fields of one object are named; the rest are counted. */
const MAX_FIELDS = 16;

/** Words of a field name: `EShopId` → E, Shop, Id; `HTTPCode` → HTTP, Code. */
const WORD = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g;

/**
 * Whether a field name may be shown: a schema word, ASCII letters in PascalCase or camelCase words
 * (one digit at most, at the end), each word with a vowel or a short abbreviation, at most 40
 * characters. Keys that are values (numbers, GUIDs, e-mails, Cyrillic names, tokens) fail it.
 */
export function isShowableName(name: string): boolean {
	if (name.length > 40 || !/^[A-Za-z]+\d?$/.test(name)) return false;
	const letters = name.replace(/\d$/, '');
	const words = letters.match(WORD) ?? [];
	if (words.join('') !== letters) return false;
	const abbreviations = words.filter((word) => /^[A-Z]+$/.test(word));
	if (abbreviations.length > 2 || abbreviations.some((word) => word.length > 5)) return false;
	return words.every(
		(word) => /^[A-Z]+$/.test(word) || (word.length >= 2 && /[aeiou]/i.test(word)),
	);
}

/** Date formats the package can name, most specific first; a string matching none is "text". */
const DATE_FORMATS: ReadonlyArray<[RegExp, string]> = [
	[/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm:ss'],
	[/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{1,7}$/, 'yyyy-MM-dd HH:mm:ss.fff'],
	[/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?$/, 'yyyy-MM-ddTHH:mm:ss (no zone)'],
	[
		/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:?\d{2})$/,
		'ISO 8601 with a zone',
	],
	[/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}(?::\d{2})?$/, 'dd.MM.yyyy HH:mm:ss'],
	[/^\d{2}\.\d{2}\.\d{4}$/, 'dd.MM.yyyy'],
	[/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd'],
	[/^\/Date\(-?\d+(?:[+-]\d{4})?\)\/$/, '/Date(ms)/'],
];

/** The format of a date as text, or undefined when it is none of DATE_FORMATS. */
export function dateFormatOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	return DATE_FORMATS.find(([pattern]) => pattern.test(value.trim()))?.[1];
}

/** One value's type: `text`, `number`, `true/false`, `null`, `array of …`, `object{…}`. */
export function describeShape(value: unknown, depth = 0): string {
	if (value === null) return 'null';
	if (value === undefined) return 'absent';
	if (typeof value === 'number') return Number.isFinite(value) ? 'number' : 'not a number';
	if (typeof value === 'boolean') return 'true/false';
	if (typeof value === 'string') {
		const format = dateFormatOf(value);
		if (format) return `date text ${format}`;
		return value === '' ? 'empty text' : 'text';
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return 'empty array';
		return depth >= MAX_DEPTH ? 'array' : `array of ${describeShape(value[0], depth + 1)}`;
	}
	if (typeof value === 'object') {
		if (depth >= MAX_DEPTH) return 'object';
		return `object{${describeFields(value as Record<string, unknown>, depth)}}`;
	}
	return 'a value of another type';
}

/** The fields of an object, `Name: type`, hidden names counted, for describeShape. */
function describeFields(value: Record<string, unknown>, depth: number): string {
	const names = Object.keys(value);
	const shown = names.filter(isShowableName);
	const parts = shown
		.slice(0, MAX_FIELDS)
		.map((name) => `${name}: ${describeShape(value[name], depth + 1)}`);
	const others = names.length - Math.min(shown.length, MAX_FIELDS);
	if (others > 0) parts.push(`${others} other field${others === 1 ? '' : 's'}`);
	return parts.length === 0 ? 'no fields' : parts.join(', ');
}

/** The names of an object's fields that may be shown, or [] for anything that is not an object. */
export function showableNames(value: unknown): string[] {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
	return Object.keys(value).filter(isShowableName).slice(0, MAX_FIELDS);
}

/** A small protocol code (0–999) as text, or `-`: a larger number might be a value, never shown. */
export function codeText(value: unknown): string {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1000
		? String(value)
		: typeof value === 'undefined'
			? '-'
			: describeShape(value);
}
