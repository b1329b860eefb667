/**
 * IntellectMoney Result URL notifications: checking the hash of the pairs formBody.ts read (the output
 * item is built in output.ts). Pure functions, no n8n state, and none of them throws: a notification
 * that cannot be verified unambiguously is simply not verified.
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
import { fieldValue, indexPairs } from './formBody';
import type { ReceivedPair } from './formBody';

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

export type NotificationEncoding = 'utf-8' | 'windows-1251';

export type Verification =
	| { verified: true; encoding: NotificationEncoding; pairs: ReceivedPair[] }
	| { verified: false };

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Uint8Array): boolean {
	try {
		utf8Strict.decode(bytes);
		return true;
	} catch {
		return false;
	}
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

/** Whether a hashed value could be re-split across the `::` join: `::` in it, or `:` at an edge. */
export function isAmbiguousValue(value: string): boolean {
	return value.includes('::') || value.startsWith(':') || value.endsWith(':');
}

/** The first hashed field whose value could be re-split across the `::` join, or undefined. */
export function ambiguousField(pairs: readonly ReceivedPair[]): string | undefined {
	const index = indexPairs(pairs);
	return HASHED_FIELDS.find((name) => isAmbiguousValue(fieldValue(index, name) ?? ''));
}

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
		// `::` joins the values: one ending or starting with `:` can be re-split into other values
		// that give the same hash (`order-7:` + `x` reads as `order-7` + `:x`). The node refuses such
		// values when it signs (docs/intellectmoney-api.md §0, string building); unambiguous or not verified.
		if (values.some(isAmbiguousValue)) return { verified: false };
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
