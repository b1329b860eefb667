// @ts-check
/**
 * Shared by the sandbox tests: a plain HTTP client, the signatures of the sandbox's shop, and a local
 * receiver for Result URL notifications. Requests are signed with the sandbox's own recipes
 * (dev/sandbox/recipes.mjs), which test/sandbox/recipes.test.mjs proves against the independently
 * computed vectors of test/vectors/; the tests pin published digests by reading those vectors.
 */
import http from 'node:http';
import { Agent, request } from 'undici';
import { DEFAULT_SHOP } from '../../dev/sandbox/index.mjs';
import {
	RECIPES,
	md5Hex,
	notificationHash as hashOf,
	sha256Hex,
} from '../../dev/sandbox/recipes.mjs';

export const CREATE_INVOICE = 'merchant/createInvoice';
export const CAPTURE = 'merchant/purchaseToPaid';
export const REFUND = 'merchant/purchaseToRefund';
export const TOKEN = 'personal/user/getUserToken';
export const HISTORY = 'personal/payment/getInvoicesHistory';
export const ACCOUNT = 'personal/payment/getAccountData';
export const PAYOUT_CREATE = 'personal/payout/createOperation';
export const PAYOUT = 'personal/payout/executeOperation';
export const PAYOUT_STATE = 'personal/payout/getOperationState';

export const BEARER = `Bearer ${DEFAULT_SHOP.bearerToken}`;
const { signSecretKey: SIGN_KEY, shopSecretKey: SHOP_KEY } = DEFAULT_SHOP;

export const sha256 = sha256Hex;
export const md5 = md5Hex;
export { CREATE_INVOICE_SIGN_FIELDS as CREATE_INVOICE_FIELDS } from '../../dev/sandbox/recipes.mjs';

/**
 * The string one of the sandbox's recipes hashes, from fields named exactly as sent.
 * @param {string} endpoint @param {'sign' | 'hash' | 'purchaseHash'} part
 * @param {Record<string, string>} fields @param {string} key
 */
function recipeString(endpoint, part, fields, key) {
	const recipe = RECIPES[endpoint][part];
	if (!recipe) throw new Error(`the sandbox has no ${part} recipe for ${endpoint}`);
	return recipe((name) => fields[name], key);
}

/** @param {Record<string, string>} fields @param {string} [key] */
export const createInvoiceSign = (fields, key = SIGN_KEY) =>
	sha256(recipeString(CREATE_INVOICE, 'sign', fields, key));
/** @param {Record<string, string>} fields @param {string} [key] */
export const createInvoiceHash = (fields, key = SHOP_KEY) =>
	md5(recipeString(CREATE_INVOICE, 'hash', fields, key));
/** @param {Record<string, string>} fields */
export const createInvoicePurchaseHash = (fields) =>
	md5(recipeString(CREATE_INVOICE, 'purchaseHash', fields, SHOP_KEY));

export const refundSign = (eshopId = '450000', orderId = '') =>
	sha256(recipeString(REFUND, 'sign', { EshopId: eshopId, OrderId: orderId }, SIGN_KEY));
export const refundHash = (eshopId = '450000', orderId = '') =>
	md5(recipeString(REFUND, 'hash', { EshopId: eshopId, OrderId: orderId }, SHOP_KEY));
export const captureSign = (eshopId = '450000', orderId = '') =>
	sha256(recipeString(CAPTURE, 'sign', { EshopId: eshopId, OrderId: orderId }, SIGN_KEY));
export const captureHash = (eshopId = '450000', orderId = '') =>
	md5(recipeString(CAPTURE, 'hash', { EshopId: eshopId, OrderId: orderId }, SHOP_KEY));

/** @param {Record<string, string>} fields @param {string} [key] */
export const createOperationSign = (fields, key = SIGN_KEY) =>
	sha256(recipeString(PAYOUT_CREATE, 'sign', fields, key));
/** executeOperation's Sign, which getOperationState shares. @param {string} userToken @param {string} opId */
export const payoutSign = (userToken, opId) =>
	sha256(recipeString(PAYOUT, 'sign', { UserToken: userToken, PayoutOperationId: opId }, SIGN_KEY));
/** @param {string} login @param {string} password */
export const tokenSign = (login, password) =>
	sha256(recipeString(TOKEN, 'sign', { Login: login, Password: password }, SIGN_KEY));
/** @param {Record<string, string>} fields @param {string} [key] */
export const historySign = (fields, key = SIGN_KEY) =>
	sha256(recipeString(HISTORY, 'sign', fields, key));

/** @param {Record<string, string>} fields @param {string} [key] */
export const accountSign = (fields, key = SIGN_KEY) =>
	sha256(recipeString(ACCOUNT, 'sign', fields, key));

/** @param {Record<string, string>} fields @param {string} [key] */
export const notificationHash = (fields, key = SHOP_KEY) => hashOf(fields, key);

/**
 * @typedef {object} PostOptions
 * @property {Agent} dispatcher
 * @property {'form' | 'json'} [as]
 * @property {string | null} [authorization]  null = no Authorization header
 * @property {string | null} [sign]  null/undefined = no Sign header
 */

/**
 * POSTs fields to a sandbox endpoint, asking for JSON, and reads the answer.
 * @param {string} base  sandbox URL with a trailing slash
 * @param {string} endpoint
 * @param {Record<string, string>} fields
 * @param {PostOptions} o
 */
export async function post(base, endpoint, fields, o) {
	/** @type {Record<string, string>} */
	const headers = { accept: 'application/json' };
	const authorization = o.authorization === undefined ? BEARER : o.authorization;
	if (authorization !== null) headers.authorization = authorization;
	if (typeof o.sign === 'string') headers.sign = o.sign;
	/** @type {string} */
	let body;
	if (o.as === 'json') {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(fields);
	} else {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(fields).toString();
	}
	const res = await request(`${base}${endpoint}`, {
		method: 'POST',
		headers,
		body,
		dispatcher: o.dispatcher,
	});
	const text = await res.body.text();
	/** @type {any} */
	const json = String(res.headers['content-type'] ?? '').startsWith('application/json')
		? JSON.parse(text)
		: undefined;
	return { status: res.statusCode, text, json };
}

/** True when `text` is an IntellectMoney date ('yyyy-MM-dd HH:mm:ss', Moscow time) within a minute of now. @param {string} text */
export function isMoscowNow(text) {
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
	if (!m) return false;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, s) - 3 * 60 * 60 * 1000;
	return Math.abs(asUtc - Date.now()) < 60_000;
}

/** 'yyyy-MM-dd HH:mm:ss' in Moscow time, `ms` from now. @param {number} ms */
export function moscowIn(ms) {
	return new Date(Date.now() + ms + 3 * 60 * 60 * 1000)
		.toISOString()
		.slice(0, 19)
		.replace('T', ' ');
}

/**
 * @typedef {object} ReceivedNotification
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {Buffer} raw  the body bytes as received
 * @property {Record<string, string>} fields  the body read as UTF-8 form fields
 */

/**
 * @typedef {object} Receiver
 * @property {string} url
 * @property {ReceivedNotification[]} received
 * @property {(answer: (n: ReceivedNotification, index: number) => { status: number, body: string }) => void} answerWith
 * @property {() => Promise<void>} close  idempotent
 */

/**
 * A local HTTP server standing for a shop's Result URL. Answers 200 `OK` unless told otherwise.
 * @returns {Promise<Receiver>}
 */
export async function startReceiver() {
	/** @type {ReceivedNotification[]} */
	const received = [];
	/** @type {(n: ReceivedNotification, index: number) => { status: number, body: string }} */
	let answer = () => ({ status: 200, body: 'OK' });
	const server = http.createServer(async (req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const raw = Buffer.concat(chunks);
		/** @type {Record<string, string>} */
		const fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
		const notification = { headers: req.headers, raw, fields };
		received.push(notification);
		const { status, body } = answer(notification, received.length - 1);
		res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
		res.end(body);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('receiver: no address');
	/** @type {Promise<void> | undefined} idempotent, like the sandbox's stop() */
	let closing;
	return {
		url: `http://127.0.0.1:${address.port}/im/result`,
		received,
		answerWith(fn) {
			answer = fn;
		},
		close() {
			closing ??= new Promise((resolve, reject) => {
				server.close((err) => (err ? reject(err) : resolve()));
				server.closeAllConnections();
			});
			return closing;
		},
	};
}

/**
 * Percent-decodes a form body into bytes per value, then decodes them with the given charset.
 * @param {Buffer} raw
 * @param {string} charset  a TextDecoder label
 * @returns {Record<string, string>}
 */
export function decodeForm(raw, charset) {
	const decoder = new TextDecoder(charset);
	/** @param {string} part */
	const decode = (part) => {
		/** @type {number[]} */
		const bytes = [];
		for (let i = 0; i < part.length; i++) {
			if (part[i] === '+') bytes.push(0x20);
			else if (part[i] === '%') {
				bytes.push(parseInt(part.slice(i + 1, i + 3), 16));
				i += 2;
			} else bytes.push(part.charCodeAt(i));
		}
		return decoder.decode(Uint8Array.from(bytes));
	};
	/** @type {Record<string, string>} */
	const fields = {};
	for (const pair of raw.toString('latin1').split('&')) {
		const [name, value = ''] = pair.split('=');
		fields[decode(name)] = decode(value);
	}
	return fields;
}
