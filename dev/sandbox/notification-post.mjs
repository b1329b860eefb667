// @ts-check
/**
 * How the sandbox posts a Result URL notification: the form body (UTF-8, or windows-1251 bytes for
 * the 'cp1251' forge) and one POST over http or https, to this machine only.
 */
import http from 'node:http';
import https from 'node:https';

const NOTIFICATION_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/**
 * The sandbox is a local imitation: it posts notifications to this machine only (localhost,
 * 127.0.0.0/8, [::1]), so no test or demo can reach the internet through a Result URL.
 */
const LOOPBACK_HOST_RE = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** A receiver's answer is kept up to this size in the notification log. */
const MAX_NOTIFICATION_RESPONSE_BYTES = 64 * 1024;

/** @type {Map<string, number> | undefined} character → windows-1251 byte, for bytes 0x80–0xFF */
let cp1251Table;

/**
 * The windows-1251 bytes of a string (Node has a decoder for it but no encoder).
 * @param {string} text
 * @returns {Buffer}
 */
function cp1251Bytes(text) {
	if (!cp1251Table) {
		cp1251Table = new Map();
		const decoder = new TextDecoder('windows-1251');
		for (let byte = 0x80; byte <= 0xff; byte++) {
			const char = decoder.decode(Uint8Array.of(byte));
			if (char !== '\ufffd' && !cp1251Table.has(char)) cp1251Table.set(char, byte);
		}
	}
	const table = cp1251Table;
	return Buffer.from(
		[...text].map((char) => {
			const code = char.codePointAt(0) ?? 0;
			if (code < 0x80) return code;
			const byte = table.get(char);
			if (byte === undefined) throw new TypeError(`cp1251: no windows-1251 byte for ${char}`);
			return byte;
		}),
	);
}

/**
 * application/x-www-form-urlencoded, percent-encoding the given bytes of each name and value: the
 * same characters as URLSearchParams keep (alphanumerics and `*-._`), space as `+`.
 * @param {Record<string, string>} fields
 * @param {'utf8' | 'cp1251'} charset
 * @returns {string}  ASCII
 */
export function formEncode(fields, charset) {
	/** @param {string} text */
	const encode = (text) => {
		const bytes = charset === 'utf8' ? Buffer.from(text, 'utf8') : cp1251Bytes(text);
		let out = '';
		for (const byte of bytes) {
			const char = String.fromCharCode(byte);
			if (/[A-Za-z0-9*\-._]/.test(char)) out += char;
			else if (byte === 0x20) out += '+';
			else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		}
		return out;
	};
	return Object.entries(fields)
		.map(([name, value]) => `${encode(name)}=${encode(value)}`)
		.join('&');
}

/** A notification the sandbox will not post at all (bad URL, not loopback): retrying cannot help. */
export class NotPostedError extends Error {}

/**
 * One POST to a receiver, over http or https, without a keep-alive agent (nothing outlives it).
 * @param {string} url
 * @param {string} body
 * @param {{ timeoutMs: number, signal: AbortSignal }} how
 * @returns {Promise<import('./types.mjs').NotificationResponse>}
 */
export function postForm(url, body, how) {
	return new Promise((resolve, reject) => {
		/** @type {URL} */
		let target;
		try {
			target = new URL(url);
		} catch {
			reject(new NotPostedError(`not posted: not a URL: ${url}`));
			return;
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:') {
			reject(new NotPostedError(`not posted: not an http(s) URL: ${url}`));
			return;
		}
		if (!LOOPBACK_HOST_RE.test(target.hostname)) {
			reject(new NotPostedError(`not posted: ${target.hostname} is not a loopback host`));
			return;
		}
		const bytes = Buffer.from(body, 'latin1'); // percent-encoded: ASCII only
		const transport = target.protocol === 'https:' ? https : http;
		const req = transport.request(
			target,
			{
				method: 'POST',
				agent: false,
				signal: how.signal,
				timeout: how.timeoutMs,
				headers: {
					'content-type': NOTIFICATION_CONTENT_TYPE,
					'content-length': bytes.length,
					'user-agent': 'IntellectMoney-sandbox',
				},
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				let size = 0;
				res.on('data', (chunk) => {
					size += chunk.length;
					if (size <= MAX_NOTIFICATION_RESPONSE_BYTES) chunks.push(chunk);
				});
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${how.timeoutMs} ms`)));
		req.on('error', reject);
		req.end(bytes);
	});
}
