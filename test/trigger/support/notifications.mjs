// @ts-check
/**
 * Builds IntellectMoney Result URL notifications the way IntellectMoney sends them (reference §5): a
 * form body with the hash computed here, independently of the node's code (node:crypto, own
 * windows-1251 table). The digests of reference §3 vector 8 pin this builder to the reference.
 */
import { createHash } from 'node:crypto';

/** The shop of these tests (the dummy key of reference §3). */
export const SHOP = { eshopId: '450000', shopSecretKey: 'SHOPSECRET' };

/** The hashed fields, in the recipe's order (reference §5). */
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
];

/** Reference §3 vector 8: its ten values and both published digests. */
export const VECTOR_8 = {
	fields: {
		eshopId: '450000',
		orderId: 'order-42',
		serviceName: 'Test',
		eshopAccount: '1234567',
		recipientAmount: '10.00',
		recipientCurrency: 'TST',
		paymentStatus: '5',
		userName: 'Иван',
		userEmail: 'buyer@example.com',
		paymentData: '2025-07-15 18:23:32',
	},
	utf8Hash: 'e4e6230059afbf67020344f1d97249bd',
	windows1251Hash: 'b7b328777d25892bdcac1dd6e641652a',
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
