/**
 * Reading an IntellectMoney Result URL body into its `name=value` pairs, keeping each value's bytes
 * (the hash is over the values as sent), and looking fields up by name. Pure, never throws.
 *
 * Facts (docs/intellectmoney-api.md §5): IntellectMoney POSTs `application/x-www-form-urlencoded`
 * pairs [S]; field names come in camelCase and PascalCase, so they are matched case-insensitively [S].
 */
/** Fields a notification cannot be processed without (besides the hash itself). */
export const REQUIRED_FIELDS = ['eshopId', 'orderId', 'paymentStatus'] as const;

/** n8n's own form parser stops at 1000 pairs (querystring maxKeys); so does this one. */
const MAX_PAIRS = 1000;

/** One received `name=value` pair. `bytes` are the percent-decoded bytes when the raw body was read. */
export interface ReceivedPair {
	name: string;
	value: string;
	bytes?: Uint8Array;
}

const PLUS = 0x2b;
const PERCENT = 0x25;
const AMPERSAND = 0x26;
const EQUALS = 0x3d;

function hexValue(byte: number): number {
	if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
	if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
	if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
	return -1;
}

/** `application/x-www-form-urlencoded` percent-decoding to bytes: `+` is a space, bad escapes stay. */
function percentDecode(raw: Uint8Array): Uint8Array {
	const out = new Uint8Array(raw.length);
	let length = 0;
	for (let i = 0; i < raw.length; i++) {
		const byte = raw[i];
		if (byte === PLUS) {
			out[length++] = 0x20;
		} else if (byte === PERCENT && i + 2 < raw.length) {
			const high = hexValue(raw[i + 1]);
			const low = hexValue(raw[i + 2]);
			if (high >= 0 && low >= 0) {
				out[length++] = high * 16 + low;
				i += 2;
			} else {
				out[length++] = byte;
			}
		} else {
			out[length++] = byte;
		}
	}
	return out.slice(0, length);
}

const utf8Lenient = new TextDecoder('utf-8');

/**
 * Splits a raw form body into pairs, keeping each value's bytes. Values are decoded as UTF-8 the way
 * URLSearchParams does (an invalid sequence becomes U+FFFD); `verifyNotification` may re-decode them.
 */
export function parseFormBody(body: Uint8Array): ReceivedPair[] {
	const pairs: ReceivedPair[] = [];
	let start = 0;
	while (start <= body.length && pairs.length < MAX_PAIRS) {
		let end = body.indexOf(AMPERSAND, start);
		if (end === -1) end = body.length;
		const segment = body.subarray(start, end);
		if (segment.length > 0) {
			const equals = segment.indexOf(EQUALS);
			const rawName = equals === -1 ? segment : segment.subarray(0, equals);
			const rawValue = equals === -1 ? new Uint8Array(0) : segment.subarray(equals + 1);
			const bytes = percentDecode(rawValue);
			pairs.push({
				name: utf8Lenient.decode(percentDecode(rawName)),
				value: utf8Lenient.decode(bytes),
				bytes,
			});
		}
		start = end + 1;
	}
	return pairs;
}

/**
 * Pairs from a body n8n already parsed (JSON, or a form when the raw body is not available): strings
 * as they are, numbers and booleans as text; nested values cannot have been hashed and are left out.
 */
export function pairsFromParsedBody(body: unknown): ReceivedPair[] {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
	const pairs: ReceivedPair[] = [];
	for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
		if (pairs.length >= MAX_PAIRS) break;
		// n8n's querystring parser turns a repeated name into a list: the first value counts, as in
		// URLSearchParams.get and in parseFormBody.
		const first = Array.isArray(value) ? value[0] : value;
		if (typeof first === 'string') pairs.push({ name, value: first });
		else if (typeof first === 'number' || typeof first === 'boolean')
			pairs.push({ name, value: String(first) });
	}
	return pairs;
}

/**
 * Case-insensitive lookup: lower-cased name → the FIRST pair of that name. Verification and the
 * output item both read through it, so they always see the same value.
 */
export function indexPairs(pairs: readonly ReceivedPair[]): Map<string, ReceivedPair> {
	const index = new Map<string, ReceivedPair>();
	for (const pair of pairs) {
		const key = pair.name.toLowerCase();
		if (!index.has(key)) index.set(key, pair);
	}
	return index;
}

/** The value of a field (any case of its name), or `undefined` when it was not sent. */
export function fieldValue(index: ReadonlyMap<string, ReceivedPair>, name: string) {
	return index.get(name.toLowerCase())?.value;
}

/**
 * Names of the required fields that are absent or empty. The hash is always required: a shop option
 * makes IntellectMoney also send the Secret key in clear (`secretKey`, docs/intellectmoney-api.md §5; Django clients
 * then treat the hash as optional). Accepting a clear key instead would mean trusting any sender who
 * ever saw one notification, so the safe reading is: no hash, no notification.
 */
export function missingRequiredFields(index: ReadonlyMap<string, ReceivedPair>): string[] {
	return [...REQUIRED_FIELDS, 'hash'].filter((name) => !fieldValue(index, name));
}
