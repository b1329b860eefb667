// @ts-check
/**
 * The sandbox's wire formats: request bodies (JSON or form, case-insensitive field names), the
 * answer envelope as XML or JSON, and IntellectMoney's dates.
 */

const MAX_BODY_BYTES = 1024 * 1024;

/** Amounts are written "10.00", two decimals and a dot; RecipientAmount is ≤ 13 chars (docs/intellectmoney-api.md §3). */
export const AMOUNT_RE = /^\d{1,10}\.\d{2}$/;

/**
 * IntellectMoney writes dates as 'yyyy-MM-dd HH:mm:ss' without a zone (docs/intellectmoney-api.md
 * §3). The sandbox reads and writes them as Moscow time (UTC+3, no daylight saving since 2014): an
 * inference.
 */
const MSK_OFFSET_MS = 3 * 60 * 60 * 1000;

/**
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {string} name  lower case
 * @returns {string | undefined}
 */
export function headerValue(headers, name) {
	const v = headers[name];
	return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer | null>}  null = larger than MAX_BODY_BYTES
 */
export async function readBody(req) {
	/** @type {Buffer[]} */
	const chunks = [];
	let size = 0;
	let tooLarge = false;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) tooLarge = true;
		else chunks.push(chunk);
	}
	return tooLarge ? null : Buffer.concat(chunks);
}

/**
 * Parses the body into string fields. JSON when Content-Type says so, otherwise form-urlencoded
 * (docs/intellectmoney-api.md §0 "Body formats accepted": both are used by real clients).
 * @param {Buffer} raw
 * @param {string} contentType
 * @returns {Record<string, string> | null}  null = not parseable
 */
export function parseBody(raw, contentType) {
	const text = raw.toString('utf8');
	const mediaType = contentType.split(';')[0].trim().toLowerCase();
	if (mediaType === 'application/json') {
		/** @type {unknown} */
		let data;
		try {
			data = JSON.parse(text);
		} catch {
			return null;
		}
		if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
		/** @type {Record<string, string>} */
		const fields = {};
		for (const [name, value] of Object.entries(data)) {
			if (value === null || value === undefined) continue; // null = field not sent
			// A nested object (e.g. MerchantReceipt sent as an object) is kept as its JSON text.
			fields[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
		}
		return fields;
	}
	/** @type {Record<string, string>} */
	const fields = {};
	for (const [name, value] of new URLSearchParams(text)) {
		if (!(name in fields)) fields[name] = value;
	}
	return fields;
}

/**
 * Case-insensitive field access (docs/intellectmoney-api.md §1: `eshopId` and `EshopId` are both in
 * real use). An empty value counts as absent, as in the signature rule "missing value → ''" (§3).
 * @param {Record<string, string>} fields
 * @returns {import('./recipes.mjs').FieldReader}
 */
export function fieldReader(fields) {
	/** @type {Map<string, string>} */
	const byLower = new Map();
	for (const [name, value] of Object.entries(fields)) {
		const key = name.toLowerCase();
		if (!byLower.has(key)) byLower.set(key, value);
	}
	return (name) => {
		const v = byLower.get(name.toLowerCase());
		return v === undefined || v === '' ? undefined : v;
	};
}

/** @param {string} s */
function xmlEscape(s) {
	return s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/**
 * Minimal XML rendering of the envelope.
 * @param {string} name
 * @param {unknown} value
 * @returns {string}
 */
function toXml(name, value) {
	if (value === null || value === undefined) return `<${name} />`;
	if (Array.isArray(value))
		return `<${name}>${value.map((v) => toXml('Item', v)).join('')}</${name}>`;
	if (typeof value === 'object') {
		const inner = Object.entries(value)
			.map(([k, v]) => toXml(k, v))
			.join('');
		return `<${name}>${inner}</${name}>`;
	}
	return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/**
 * The envelope as the real API answers it: XML unless JSON is asked for (docs/intellectmoney-api.md
 * §0 "Body formats accepted", §9).
 * @param {import('./types.mjs').Envelope} envelope
 * @param {string | undefined} accept  the request's Accept header
 * @returns {{ contentType: string, body: string }}
 */
export function renderEnvelope(envelope, accept) {
	const asked = (accept ?? '').toLowerCase();
	if (asked.includes('application/json') || asked.includes('text/json')) {
		return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(envelope) };
	}
	return {
		contentType: 'application/xml; charset=utf-8',
		body: `<?xml version="1.0" encoding="utf-8"?>${toXml('Response', envelope)}`,
	};
}

/**
 * @param {number} ms  epoch ms
 * @returns {string}  'yyyy-MM-dd HH:mm:ss', Moscow time
 */
export function imDate(ms) {
	return new Date(ms + MSK_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * @param {string} text  'yyyy-MM-dd HH:mm:ss', Moscow time
 * @returns {number | undefined}  epoch ms; undefined = not that format or not a real date
 */
export function parseImDate(text) {
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
	if (!m) return undefined;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
	const ms = Date.UTC(y, mo - 1, d, h, mi, s) - MSK_OFFSET_MS;
	// Date.UTC rolls 2025-02-30 over to March: only a date that prints back the same is real.
	return Number.isFinite(ms) && imDate(ms) === text ? ms : undefined;
}
