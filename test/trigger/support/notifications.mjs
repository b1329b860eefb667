// @ts-check
/**
 * Builds IntellectMoney Result URL notifications the way IntellectMoney sends them
 * (docs/intellectmoney-api.md §5): a form body with the hash computed here, independently of the
 * node's code (node:crypto, own windows-1251 table), over the hashed fields in the order that
 * test/vectors/intellectmoney-vectors.json gives; its example 8 (both digests) pins this builder.
 */
import { createHash } from 'node:crypto';

import { fieldNamesOf, vector } from '../../vectors/vectors.mjs';

/** The shop of these tests (the dummy key of docs/intellectmoney-api.md §3). */
export const SHOP = { eshopId: '450000', shopSecretKey: 'SHOPSECRET' };

/** The hashed fields, in the recipe's order (docs/intellectmoney-api.md §5), from the vectors. */
export const HASHED_FIELDS = fieldNamesOf('notification', 'hash');

const example8 = vector('ref-8-notification-hash');
/** docs/intellectmoney-api.md §3 example 8: its ten values and both published digests. */
export const VECTOR_8 = {
	fields: example8.fields,
	utf8Hash: example8.digest,
	windows1251Hash: /** @type {string} */ (example8.digestWindows1251),
};

/** @typedef {Record<string, string>} Fields */

/**
 * A `paymentData` value: IntellectMoney's `yyyy-MM-dd HH:mm:ss` in Moscow time (UTC+3), `offsetMs`
 * from now (default: now).
 * @param {number} [offsetMs]
 */
export function moscowDate(offsetMs = 0) {
	const moscow = new Date(Date.now() + offsetMs + 3 * 60 * 60 * 1000);
	return moscow.toISOString().slice(0, 19).replace('T', ' ');
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** windows-1251 bytes of `text` (a reverse of Node's own decoder). @param {string} text */
export function windows1251Bytes(text) {
	const decoder = new TextDecoder('windows-1251');
	/** @type {Map<string, number>} */
	const table = new Map();
	for (let byte = 0; byte < 256; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
	return Buffer.from(
		[...text].map((char) => {
			const byte = table.get(char);
			if (byte === undefined) throw new Error(`no windows-1251 byte for ${char}`);
			return byte;
		}),
	);
}

/**
 * The notification hash of `fields` with `secret`: md5 of the hashed values joined by `::`, then the
 * secret; an absent field is an empty segment.
 * @param {Fields} fields @param {string} secret @param {'utf-8' | 'windows-1251'} [encoding]
 */
export function notificationHash(fields, secret, encoding = 'utf-8') {
	const text = [...HASHED_FIELDS.map((name) => fields[name] ?? ''), secret].join('::');
	const bytes = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : windows1251Bytes(text);
	return createHash('md5').update(bytes).digest('hex');
}

/**
 * A typical notification: vector 8's values, paid just now (vector 8's own date is long past, so the
 * trigger would take it for an old one), plus the unsigned fields IntellectMoney adds.
 * @param {Fields} [overrides]
 * @returns {Fields}
 */
export function notificationFields(overrides = {}) {
	return {
		...VECTOR_8.fields,
		paymentData: moscowDate(),
		paymentId: '3000001042',
		recipientOriginalAmount: '10.00',
		payMethod: 'BankCard',
		shortPan: '220220******1234',
		ipAddress: '198.51.100.7',
		country: 'RU',
		bank: 'Test Bank',
		UserField_1: 'crm-77',
		UserFieldName_1: 'CRM deal',
		...overrides,
	};
}

/**
 * `fields` plus their `hash` (computed with `secret`, default the shop's).
 * @param {Fields} fields @param {{ secret?: string, encoding?: 'utf-8' | 'windows-1251' }} [options]
 */
export function signed(fields, options = {}) {
	return {
		...fields,
		hash: notificationHash(fields, options.secret ?? SHOP.shopSecretKey, options.encoding),
	};
}

/**
 * Percent-encodes bytes for a form body (every non-unreserved byte as %XX, space as +).
 * @param {Uint8Array} bytes
 */
function formEncodeBytes(bytes) {
	let out = '';
	for (const byte of bytes) {
		const char = String.fromCharCode(byte);
		if (/[A-Za-z0-9*\-._]/.test(char)) out += char;
		else if (byte === 0x20) out += '+';
		else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return out;
}

/**
 * An `application/x-www-form-urlencoded` body of `fields`, its values in `encoding`.
 * @param {Fields} fields @param {'utf-8' | 'windows-1251'} [encoding]
 */
export function formBody(fields, encoding = 'utf-8') {
	return Object.entries(fields)
		.map(
			([name, value]) =>
				`${formEncodeBytes(Buffer.from(name, 'utf8'))}=${formEncodeBytes(
					encoding === 'utf-8' ? Buffer.from(value, 'utf8') : windows1251Bytes(value),
				)}`,
		)
		.join('&');
}

/** `fields` with every name in PascalCase (`eshopId` → `EshopId`). @param {Fields} fields */
export function pascalCase(fields) {
	return Object.fromEntries(
		Object.entries(fields).map(([name, value]) => [name[0].toUpperCase() + name.slice(1), value]),
	);
}
