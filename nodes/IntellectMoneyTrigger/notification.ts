/**
 * IntellectMoney Result URL notifications: reading the form and checking the hash (the output item is
 * built in output.ts). Pure functions, no n8n state, and none of them throws: a body that cannot be
 * read is simply not verified.
 *
 * Facts (docs/intellectmoney-api.md §5):
 * - IntellectMoney POSTs `application/x-www-form-urlencoded` key=value pairs [S].
 * - hash = md5(eshopId::orderId::serviceName::eshopAccount::recipientAmount::recipientCurrency::
 *   paymentStatus::userName::userEmail::paymentData::<shop Secret Key>), lower-case hex [S, five code
 *   bases agree]. It is computed over the values AS SENT: re-formatting the amount ("10.00" → "10") or
 *   the date would break it, so the raw received strings are hashed and passed on.
 * - Field names come in camelCase (Django clients, Al-Muhandis) and PascalCase (a 2025 client), so
 *   they are matched case-insensitively [S].
 * - Cyrillic values were hashed as windows-1251 by older integrations (django-intellectmoney until
 *   2022, VaM Shop accepts both) [S]; docs/intellectmoney-api.md §3 vector 8 gives both digests.
 */
import { createHash, timingSafeEqual } from 'crypto';

import { buildSignatureString, md5Hex } from '../../shared/signature';

/** The hashed fields, in the order of the recipe; the shop Secret Key follows them. */
export const HASHED_FIELDS = [
	'eshopId',
	'orderId',
	'serviceName',
	'eshopAccount',
	'recipientAmount',
	'recipientCurrency',
	'paymentStatus',
	'userName',
	'userEmail',
	'paymentData',
] as const;

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

export type NotificationEncoding = 'utf-8' | 'windows-1251';

export type Verification =
	| { verified: true; encoding: NotificationEncoding; pairs: ReceivedPair[] }
	| { verified: false };

// ---- Reading the body ----

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
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Uint8Array): boolean {
	try {
		utf8Strict.decode(bytes);
		return true;
	} catch {
		return false;
	}
}

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

// ---- windows-1251 ----

/** What is used of a TextDecoder (the global's type is not in this project's lib). */
interface Decoder {
	decode(bytes: Uint8Array): string;
}

let cp1251Decoder: Decoder | null | undefined;
let cp1251Encoding: Map<string, number> | undefined;

/** The windows-1251 decoder, or `null` when this Node has no full ICU (then no cp1251 retry). */
function windows1251(): Decoder | null {
	if (cp1251Decoder === undefined) {
		try {
			cp1251Decoder = new TextDecoder('windows-1251');
		} catch {
			cp1251Decoder = null;
		}
	}
	return cp1251Decoder;
}

/** Text → windows-1251 bytes, or `null` when a character has no windows-1251 byte. */
function encodeWindows1251(text: string): Uint8Array | null {
	const decoder = windows1251();
	if (decoder === null) return null;
	if (cp1251Encoding === undefined) {
		const table = new Map<string, number>();
		for (let byte = 0; byte < 256; byte++) {
			const char = decoder.decode(Uint8Array.of(byte));
			if (char !== '\ufffd') table.set(char, byte);
		}
		cp1251Encoding = table;
	}
	const bytes: number[] = [];
	for (const char of text) {
		const byte = cp1251Encoding.get(char);
		if (byte === undefined) return null;
		bytes.push(byte);
	}
	return Uint8Array.from(bytes);
}

// ---- Verification ----

/**
 * Whether two hex digests are equal, in constant time (crypto.timingSafeEqual). Hex case is ignored:
 * IntellectMoney sends lower case (docs/intellectmoney-api.md §0), upper case names the same digest.
 */
function sameDigest(expectedHex: string, receivedHex: string): boolean {
	const expected = Buffer.from(expectedHex, 'utf8');
	const received = Buffer.from(receivedHex.toLowerCase(), 'utf8');
	if (expected.length !== received.length) {
		// Same work either way, so the answer time does not tell the length apart.
		timingSafeEqual(expected, expected);
		return false;
	}
	return timingSafeEqual(expected, received);
}

const SEPARATOR = Uint8Array.from([0x3a, 0x3a]);

/** md5 of the hashed fields' received bytes joined by `::`, then the key, for a windows-1251 body. */
function windows1251Digest(
	index: ReadonlyMap<string, ReceivedPair>,
	shopSecretKey: string,
): string | null {
	const key = encodeWindows1251(shopSecretKey);
	if (key === null) return null;
	const hash = createHash('md5');
	for (const name of HASHED_FIELDS) {
		const pair = index.get(name.toLowerCase());
		if (pair !== undefined && pair.bytes === undefined) return null;
		if (pair?.bytes) hash.update(pair.bytes);
		hash.update(SEPARATOR);
	}
	hash.update(key);
	return hash.digest('hex');
}

/**
 * Checks the notification's hash with the shop Secret Key. First over the values as UTF-8 text
 * (confirmed for Sign, and what current clients use for the MD5 hashes: docs/intellectmoney-api.md
 * §0); then, only when the raw body holds bytes that are not UTF-8, over the same bytes read as
 * windows-1251 (older shops, docs/intellectmoney-api.md §3 vector 8). On success returns the pairs
 * decoded in the encoding that verified. Never throws.
 */
export function verifyNotification(
	pairs: readonly ReceivedPair[],
	shopSecretKey: string,
): Verification {
	try {
		if (shopSecretKey === '') return { verified: false };
		const index = indexPairs(pairs);
		const received = fieldValue(index, 'hash');
		if (!received) return { verified: false };

		const values = HASHED_FIELDS.map((name) => fieldValue(index, name) ?? '');
		if (sameDigest(md5Hex(buildSignatureString(values, shopSecretKey)), received)) {
			return { verified: true, encoding: 'utf-8', pairs: [...pairs] };
		}

		const decoder = windows1251();
		const notUtf8 = pairs.some((pair) => pair.bytes !== undefined && !isValidUtf8(pair.bytes));
		if (decoder === null || !notUtf8) return { verified: false };
		const digest = windows1251Digest(index, shopSecretKey);
		if (digest === null || !sameDigest(digest, received)) return { verified: false };
		return {
			verified: true,
			encoding: 'windows-1251',
			pairs: pairs.map((pair) =>
				pair.bytes === undefined ? pair : { ...pair, value: decoder.decode(pair.bytes) },
			),
		};
	} catch {
		return { verified: false };
	}
}
