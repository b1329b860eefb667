// @ts-check
/**
 * Tests of dev/sandbox/, the local IntellectMoney imitation: the published examples of
 * docs/intellectmoney-api.md §3 (read from test/vectors/, computed independently with Python) are
 * accepted, and wrong tokens, signatures and hashes are refused. Requests are signed by
 * test/sandbox/client.mjs with the sandbox's own recipes, which recipes.test.mjs proves against the
 * same vectors.
 */
import { describe, test, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { DEFAULT_SHOP, FAULT_KINDS, startSandbox } from '../../dev/sandbox/index.mjs';
import {
	BEARER,
	CAPTURE,
	HISTORY,
	PAYOUT,
	PAYOUT_STATE,
	TOKEN,
	captureHash,
	captureSign,
	historySign,
	md5,
	payoutSign,
	sha256,
	tokenSign,
} from './client.mjs';
import { vector } from '../vectors/vectors.mjs';

/** @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox */

/** @type {Sandbox} */
let sb;
/** Own dispatcher, closed in afterAll, so no keep-alive socket outlives the tests. */
const agent = new Agent();

/**
 * @typedef {object} PostOptions
 * @property {string} [base]  sandbox URL (default: the shared sandbox)
 * @property {'form' | 'json' | 'raw'} [as]
 * @property {string} [raw]  body when as = 'raw'
 * @property {string} [contentType]
 * @property {string | null} [accept]  null = no Accept header
 * @property {string | null} [authorization]  null = no Authorization header
 * @property {string | null} [sign]  null = no Sign header
 * @property {string} [method]
 * @property {Agent} [dispatcher]
 * @property {AbortSignal} [signal]
 */

/**
 * Sends the request; the answer's body is left unread.
 * @param {string} endpoint
 * @param {Record<string, string | number | object>} fields
 * @param {PostOptions} [o]
 */
async function postRaw(endpoint, fields, o = {}) {
	/** @type {Record<string, string>} */
	const headers = {};
	const accept = o.accept === undefined ? 'application/json' : o.accept;
	const authorization = o.authorization === undefined ? BEARER : o.authorization;
	if (accept !== null) headers.accept = accept;
	if (authorization !== null) headers.authorization = authorization;
	if (o.sign !== undefined && o.sign !== null) headers.sign = o.sign;
	/** @type {string} */
	let body;
	if (o.as === 'json') {
		headers['content-type'] = o.contentType ?? 'application/json';
		body = JSON.stringify(fields);
	} else if (o.as === 'raw') {
		headers['content-type'] = o.contentType ?? 'application/json';
		body = o.raw ?? '';
	} else {
		headers['content-type'] = o.contentType ?? 'application/x-www-form-urlencoded';
		const form = new URLSearchParams();
		for (const [k, v] of Object.entries(fields))
			form.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
		body = form.toString();
	}
	return request(`${o.base ?? sb.url}${endpoint}`, {
		method: /** @type {import('undici').Dispatcher.HttpMethod} */ (o.method ?? 'POST'),
		headers,
		body: o.method === 'GET' ? undefined : body,
		dispatcher: o.dispatcher ?? agent,
		signal: o.signal,
	});
}

/**
 * @param {string} endpoint
 * @param {Record<string, string | number | object>} fields
 * @param {PostOptions} [o]
 */
async function post(endpoint, fields, o = {}) {
	const res = await postRaw(endpoint, fields, o);
	const text = await res.body.text();
	const contentType = String(res.headers['content-type'] ?? '');
	/** @type {any} */
	const json = contentType.startsWith('application/json') ? JSON.parse(text) : undefined;
	return { status: res.statusCode, contentType, text, json, headers: res.headers };
}

/**
 * purchaseToPaid with correct Sign and Hash computed from the fields sent, unless overridden.
 * @param {Record<string, string>} fields
 * @param {PostOptions & { hash?: string | null }} [o]
 */
async function capture(fields, o = {}) {
	const eshopId = fields.EshopId ?? '450000';
	const orderId = fields.OrderId ?? '';
	/** @type {Record<string, string>} */
	const body = { EshopId: eshopId, ...fields };
	const hash = o.hash === undefined ? captureHash(eshopId, orderId) : o.hash;
	if (hash !== null) body.Hash = hash;
	return post(CAPTURE, body, { sign: captureSign(eshopId, orderId), ...o });
}

/** getUserToken with the shop's credentials; returns the token. */
async function userToken() {
	const { login, password } = DEFAULT_SHOP;
	const r = await post(
		TOKEN,
		{ Login: login, Password: password },
		{ sign: tokenSign(login, password) },
	);
	return /** @type {string} */ (r.json.Result.UserToken);
}

/** @param {string} token @param {string} opId @param {PostOptions} [o] */
async function execute(token, opId, o = {}) {
	return post(
		PAYOUT,
		{ UserToken: token, PayoutOperationId: opId },
		{ sign: payoutSign(token, opId), ...o },
	);
}

/** getOperationState, signed like executeOperation. @param {string} token @param {string} opId @param {PostOptions} [o] */
async function operationState(token, opId, o = {}) {
	return post(
		PAYOUT_STATE,
		{ UserToken: token, PayoutOperationId: opId },
		{ sign: payoutSign(token, opId), ...o },
	);
}

/**
 * getInvoicesHistory with Skip 0, Take 100 unless given, correctly signed unless `sign` is given.
 * @param {string} token
 * @param {Record<string, string>} [fields]
 * @param {PostOptions} [o]
 */
async function history(token, fields = {}, o = {}) {
	/** @type {Record<string, string>} */
	const body = { UserToken: token, Skip: '0', Take: '100', ...fields };
	return post(HISTORY, body, { sign: historySign(body), ...o });
}

/** Waits until a sandbox's log has `n` entries. @param {Sandbox} s @param {number} n */
async function logLength(s, n) {
	while (s.log.length < n) await sleep(5);
}

/** The last log entry. */
const last = () => sb.log[sb.log.length - 1];

beforeAll(async () => {
	sb = await startSandbox();
});

afterAll(async () => {
	await sb.stop();
	await agent.close();
});

beforeEach(() => {
	sb.clearLog();
	sb.clearFaults();
});

describe('the published examples of docs/intellectmoney-api.md §3 are accepted', () => {
	test('vectors 1 and 2: capture by OrderId order-42 with the published Sign and Hash', async () => {
		const sign = vector('ref-1-purchaseToPaid-sign');
		const hash = vector('ref-2-purchaseToPaid-hash');
		expect(sign.fields).toEqual({ EshopId: '450000', OrderId: 'order-42' });
		expect(hash.fields).toEqual(sign.fields);
		const inv = sb.addInvoice({ orderId: 'order-42' });
		const r = await post(CAPTURE, { ...sign.fields, Hash: hash.digest }, { sign: sign.digest });
		expect(r.status).toBe(200);
		expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
		expect(r.json.EshopId).toBe(450000);
		expect(r.json.OperationId).toMatch(/^[0-9a-f-]{36}$/);
		expect(r.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			InvoiceId: inv.invoiceId,
			OrderId: 'order-42',
			InvoiceState: 'Paid',
		});
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
		expect(last()).toMatchObject({
			authValid: true,
			signValid: true,
			hashValid: true,
			verdict: 'accepted',
		});
	});

	test('vector 3: capture by InvoiceId only, empty OrderId segment', async () => {
		const sign = vector('ref-3-purchaseToPaid-sign-invoice-id-only');
		const hash = vector('own-purchaseToPaid-hash-invoice-id-only');
		// InvoiceId is in neither recipe: the vectors' Sign and Hash hold for any invoice.
		expect(sign.string).toBe('450000::::ToPaid::SIGNSECRET');
		const inv = sb.addInvoice();
		const r = await post(
			CAPTURE,
			{ EshopId: '450000', InvoiceId: inv.invoiceId, Hash: hash.digest },
			{ sign: sign.digest },
		);
		expect(r.json.Result.State.Code).toBe(0);
		expect(sb.getInvoice(inv.invoiceId)?.state).toBe('Paid');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('vector 5: executeOperation with UserToken b1f0c3de', async () => {
		const sign = vector('ref-5-executeOperation-sign');
		const opId = sign.fields.PayoutOperationId;
		expect(sign.fields.UserToken).toBe('b1f0c3de');
		sb.issueUserToken('b1f0c3de');
		sb.addPayoutOperation({ id: opId });
		const r = await post(PAYOUT, sign.fields, { sign: sign.digest });
		expect(r.json.OperationState.Code).toBe(0);
		expect(r.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: opId,
			PayoutOperationState: 'InProcess',
		});
		expect(sb.ledger().payoutExecutions[opId]).toBe(1);
	});
});

describe('authorization, Sign and Hash refusals move no money', () => {
	test('wrong Bearer token', async () => {
		const inv = sb.addInvoice();
		const r = await capture({ OrderId: inv.orderId }, { authorization: 'Bearer not-the-token' });
		expect(r.status).toBe(200);
		expect(r.json.OperationState).toEqual({
			Code: 2,
			Desc: 'Ошибка авторизации: неверный Bearer-токен',
		});
		expect(r.json.Result).toEqual({
			State: { Code: 2, Desc: 'Ошибка авторизации: неверный Bearer-токен' },
			ErrorSourceParam: 'Authorization',
		});
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
		expect(inv.state).toBe('Held');
		// The log still shows that Sign and Hash were right.
		expect(last()).toMatchObject({
			authValid: false,
			signValid: true,
			hashValid: true,
			verdict: 'refused',
		});
	});

	test('missing Authorization header, and the token without the "Bearer " prefix', async () => {
		const inv = sb.addInvoice();
		for (const authorization of [
			null,
			DEFAULT_SHOP.bearerToken,
			`bearer ${DEFAULT_SHOP.bearerToken}`,
		]) {
			const r = await capture({ OrderId: inv.orderId }, { authorization });
			expect(r.json.Result.ErrorSourceParam).toBe('Authorization');
		}
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('wrong Sign: other key, missing header, upper-case hex, signed over other data', async () => {
		const inv = sb.addInvoice();
		const signs = [
			sha256(`450000::${inv.orderId}::ToPaid::WRONGKEY`),
			null,
			captureSign('450000', inv.orderId).toUpperCase(),
			captureSign('450000', 'order-other'),
			// MD5 instead of SHA-256 (docs/intellectmoney-api.md §3 pitfalls)
			md5(`450000::${inv.orderId}::ToPaid::SIGNSECRET`),
		];
		for (const sign of signs) {
			const r = await capture({ OrderId: inv.orderId }, { sign });
			expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Неверная подпись запроса (Sign)' });
			expect(r.json.Result.ErrorSourceParam).toBe('Sign');
			expect(last()).toMatchObject({ authValid: true, signValid: false, verdict: 'refused' });
		}
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('wrong Hash (signed with the sign key) is refused', async () => {
		const inv = sb.addInvoice();
		const r = await capture(
			{ OrderId: inv.orderId },
			{ hash: md5(`450000::${inv.orderId}::ToPaid::SIGNSECRET`) },
		);
		expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Неверная подпись данных (Hash)' });
		expect(r.json.Result).toEqual({
			State: { Code: 2, Desc: 'Неверная подпись данных (Hash)' },
			ErrorSourceParam: 'Hash',
		});
		expect(last()).toMatchObject({
			authValid: true,
			signValid: true,
			hashValid: false,
			verdict: 'refused',
		});
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('missing Hash is refused when the shop has a secret key', async () => {
		const inv = sb.addInvoice();
		const r = await capture({ OrderId: inv.orderId }, { hash: null });
		expect(r.json.Result.ErrorSourceParam).toBe('Hash');
		expect(last().hashValid).toBe(false);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('PurchaseHash, when sent, must equal the Hash formula', async () => {
		const inv = sb.addInvoice();
		const bad = await capture({ OrderId: inv.orderId, PurchaseHash: '0'.repeat(32) });
		expect(bad.json.Result.ErrorSourceParam).toBe('Hash');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
		const good = await capture({
			OrderId: inv.orderId,
			PurchaseHash: captureHash('450000', inv.orderId),
		});
		expect(good.json.Result.State.Code).toBe(0);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('a shop without secret key accepts a capture with no Hash (hashValid null)', async () => {
		const other = await startSandbox({ shop: { shopSecretKey: '' } });
		try {
			expect(other.shop.shopSecretKey).toBe('');
			expect(other.shop.eshopId).toBe('450000');
			const inv = other.addInvoice();
			const r = await capture({ OrderId: inv.orderId }, { base: other.url, hash: null });
			expect(r.json.Result.State.Code).toBe(0);
			expect(other.ledger().captures[inv.invoiceId]).toBe(1);
			expect(other.log[0]).toMatchObject({ hashValid: null, signValid: true, verdict: 'accepted' });
		} finally {
			await other.stop();
		}
	});
});

describe('request and response formats', () => {
	test('JSON body works, numbers accepted as their string value', async () => {
		const inv = sb.addInvoice();
		const r = await post(
			CAPTURE,
			{ EshopId: 450000, OrderId: inv.orderId, Hash: captureHash('450000', inv.orderId) },
			{ as: 'json', sign: captureSign('450000', inv.orderId) },
		);
		expect(r.json.Result.State.Code).toBe(0);
		expect(last().fields).toEqual({
			EshopId: '450000',
			OrderId: inv.orderId,
			Hash: captureHash('450000', inv.orderId),
		});
		expect(last().contentType).toBe('application/json');
	});

	test('form body works, with Cyrillic order ids in UTF-8', async () => {
		const inv = sb.addInvoice({ orderId: 'Покупка №50' });
		const r = await capture(
			{ OrderId: 'Покупка №50' },
			{ contentType: 'application/x-www-form-urlencoded; charset=utf-8' },
		);
		expect(r.json.Result.State.Code).toBe(0);
		expect(r.json.Result.OrderId).toBe('Покупка №50');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('lower-case and upper-case field names are the same fields', async () => {
		const inv = sb.addInvoice();
		const r = await post(
			CAPTURE,
			{ eshopid: '450000', orderid: inv.orderId, HASH: captureHash('450000', inv.orderId) },
			{ sign: captureSign('450000', inv.orderId) },
		);
		expect(r.json.Result.State.Code).toBe(0);
		// The log keeps the names as sent.
		expect(Object.keys(last().fields)).toEqual(['eshopid', 'orderid', 'HASH']);
		const inv2 = sb.addInvoice();
		const r2 = await post(
			CAPTURE,
			{ eshopId: '450000', invoiceId: inv2.invoiceId, hash: captureHash() },
			{ as: 'json', sign: captureSign() },
		);
		expect(r2.json.Result.State.Code).toBe(0);
	});

	test('no Accept header → XML; Accept text/json → JSON', async () => {
		const inv = sb.addInvoice();
		const r = await capture({ OrderId: inv.orderId }, { accept: null });
		expect(r.status).toBe(200);
		expect(r.contentType).toBe('application/xml; charset=utf-8');
		expect(r.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><Response>/);
		expect(r.text).toContain(
			'<OperationState><Code>0</Code><Desc>Успешно обработана</Desc></OperationState>',
		);
		expect(r.text).toContain(`<InvoiceId>${inv.invoiceId}</InvoiceId>`);
		expect(r.text).toContain('<InvoiceState>Paid</InvoiceState>');
		const again = await capture({ OrderId: inv.orderId }, { accept: 'text/json' });
		expect(again.contentType).toBe('application/json; charset=utf-8');
		expect(again.json.Result.State.Code).toBe(5);
	});

	test('XML escapes values and writes null as an empty element', async () => {
		const inv = sb.addInvoice({ orderId: 'a<b>&"c"' });
		const r = await capture({ OrderId: inv.orderId }, { accept: 'application/xml' });
		expect(r.text).toContain('<OrderId>a&lt;b&gt;&amp;&quot;c&quot;</OrderId>');
		const queued = sb.addInvoice({ outcome: 'queued' });
		const q = await capture({ OrderId: queued.orderId }, { accept: null });
		expect(q.text).toContain('<Result />');
	});

	test('invalid JSON body → OperationState 2, nothing parsed, nothing moved', async () => {
		const r = await post(
			CAPTURE,
			{},
			{ as: 'raw', raw: '{"EshopId": 450000,', sign: captureSign() },
		);
		expect(r.status).toBe(200);
		expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Некорректное тело запроса' });
		expect(r.json.Result).toBeNull();
		expect(last()).toMatchObject({
			fields: {},
			authValid: true,
			signValid: null,
			hashValid: null,
			verdict: 'refused',
		});
		const arr = await post(CAPTURE, {}, { as: 'raw', raw: '[1,2]', sign: captureSign() });
		expect(arr.json.OperationState.Code).toBe(2);
	});

	test('unknown endpoint and non-POST → HTTP 404 JSON', async () => {
		const r = await post('merchant/purchaseToNowhere', {}, {});
		expect(r.status).toBe(404);
		expect(r.json).toEqual({ error: 'unknown endpoint' });
		const g = await post(CAPTURE, {}, { method: 'GET' });
		expect(g.status).toBe(404);
		expect(g.json).toEqual({ error: 'unknown endpoint' });
		expect(sb.log.map((e) => [e.endpoint, e.method, e.verdict])).toEqual([
			['merchant/purchaseToNowhere', 'POST', 'refused'],
			[CAPTURE, 'GET', 'refused'],
		]);
	});
});

describe('purchaseToPaid business rules', () => {
	test('capture by OrderId, then a second capture is refused with Code 5 and the ledger stays 1', async () => {
		const inv = sb.addInvoice({ amount: '42.00' });
		const first = await capture({ OrderId: inv.orderId });
		expect(first.json.Result.State.Code).toBe(0);
		const second = await capture({ OrderId: inv.orderId });
		expect(second.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
		expect(second.json.Result).toEqual({
			State: { Code: 5, Desc: 'Средства по СКО уже зачислены' },
			ErrorSourceParam: 'OrderId',
		});
		const third = await capture({ InvoiceId: inv.invoiceId });
		expect(third.json.Result.State.Code).toBe(5);
		expect(third.json.Result.ErrorSourceParam).toBe('InvoiceId');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
		expect(sb.log.map((e) => e.verdict)).toEqual(['accepted', 'refused', 'refused']);
	});

	test('capture by InvoiceId, with a matching OrderId too', async () => {
		const inv = sb.addInvoice();
		const r = await capture({ InvoiceId: inv.invoiceId, OrderId: inv.orderId });
		expect(r.json.Result).toMatchObject({
			InvoiceId: inv.invoiceId,
			OrderId: inv.orderId,
			InvoiceState: 'Paid',
		});
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('unknown order and unknown invoice → Code 4', async () => {
		const byOrder = await capture({ OrderId: 'no-such-order' });
		expect(byOrder.json.OperationState.Code).toBe(0);
		expect(byOrder.json.Result).toEqual({
			State: { Code: 4, Desc: 'СКО не найден' },
			ErrorSourceParam: 'OrderId',
		});
		const byInvoice = await capture({ InvoiceId: '3999999999' });
		expect(byInvoice.json.Result).toEqual({
			State: { Code: 4, Desc: 'СКО не найден' },
			ErrorSourceParam: 'InvoiceId',
		});
	});

	test('InvoiceId and OrderId of different invoices → Code 4, nothing captured', async () => {
		const a = sb.addInvoice();
		const b = sb.addInvoice();
		const r = await capture({ InvoiceId: a.invoiceId, OrderId: b.orderId });
		expect(r.json.Result.State.Code).toBe(4);
		expect(r.json.Result.ErrorSourceParam).toBe('OrderId');
		expect(sb.ledger().captures[a.invoiceId]).toBe(0);
		expect(sb.ledger().captures[b.invoiceId]).toBe(0);
	});

	test('malformed InvoiceId, no identifier, wrong EshopId → Code 3', async () => {
		const bad = await capture({ InvoiceId: '12345' });
		expect(bad.json.Result).toEqual({
			State: { Code: 3, Desc: 'Некорректный номер СКО' },
			ErrorSourceParam: 'InvoiceId',
		});
		const none = await capture({});
		expect(none.json.Result).toEqual({
			State: { Code: 3, Desc: 'Не указан номер покупки или СКО' },
			ErrorSourceParam: 'OrderId',
		});
		const inv = sb.addInvoice();
		const shop = await capture({ EshopId: '450001', OrderId: inv.orderId });
		expect(shop.json.Result).toEqual({
			State: { Code: 3, Desc: 'Магазин не найден' },
			ErrorSourceParam: 'EshopId',
		});
		expect(shop.json.EshopId).toBe(450001);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('Created (not held) invoice → Code 6', async () => {
		const inv = sb.addInvoice({ state: 'Created' });
		const r = await capture({ OrderId: inv.orderId });
		expect(r.json.Result).toEqual({
			State: { Code: 6, Desc: 'СКО не захолдирован' },
			ErrorSourceParam: 'OrderId',
		});
		expect(inv.state).toBe('Created');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('queued outcome: OperationState 1, Result null; the capture happened, a retry gets Code 5', async () => {
		const inv = sb.addInvoice({ outcome: 'queued' });
		const r = await capture({ OrderId: inv.orderId });
		expect(r.json.OperationState).toEqual({
			Code: 1,
			Desc: 'Запрос поставлен в очередь на обработку',
		});
		expect(r.json.Result).toBeNull();
		expect(last().verdict).toBe('accepted');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
		const retry = await capture({ OrderId: inv.orderId });
		expect(retry.json.Result.State.Code).toBe(5);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('warning outcome: Result.State Code 1', async () => {
		const inv = sb.addInvoice({ outcome: 'warning' });
		const r = await capture({ OrderId: inv.orderId });
		expect(r.json.OperationState.Code).toBe(0);
		expect(r.json.Result).toEqual({
			State: { Code: 1, Desc: 'Успешно, с предупреждением: чек не передан в ОФД' },
			InvoiceId: inv.invoiceId,
			OrderId: inv.orderId,
			InvoiceState: 'Paid',
		});
		expect(last().verdict).toBe('accepted');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('MerchantReceipt: a JSON object string is stored; anything else → Code 7 and no capture', async () => {
		const receipt = { inn: '7700000000', group: 'Main', content: { type: 1, positions: [] } };
		const bad = sb.addInvoice();
		for (const text of ['not json', '[1]', '"text"']) {
			const r = await capture({ OrderId: bad.orderId, MerchantReceipt: text });
			expect(r.json.Result).toEqual({
				State: { Code: 7, Desc: 'Некорректный чек' },
				ErrorSourceParam: 'MerchantReceipt',
			});
		}
		expect(sb.ledger().captures[bad.invoiceId]).toBe(0);
		const good = sb.addInvoice();
		const r = await capture({ OrderId: good.orderId, MerchantReceipt: JSON.stringify(receipt) });
		expect(r.json.Result.State.Code).toBe(0);
		expect(sb.getInvoice(good.orderId)?.receipt).toEqual(receipt);
		// Sent as a nested object in a JSON body it is read as its JSON text.
		const nested = sb.addInvoice();
		const n = await post(
			CAPTURE,
			{
				EshopId: '450000',
				OrderId: nested.orderId,
				Hash: captureHash('450000', nested.orderId),
				MerchantReceipt: receipt,
			},
			{ as: 'json', sign: captureSign('450000', nested.orderId) },
		);
		expect(n.json.Result.State.Code).toBe(0);
		expect(nested.receipt).toEqual(receipt);
	});
});

describe('getUserToken', () => {
	test('good credentials issue a fresh token', async () => {
		const { login, password } = DEFAULT_SHOP;
		const r = await post(
			TOKEN,
			{ Login: login, Password: password },
			{ sign: tokenSign(login, password) },
		);
		expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
		expect(r.json.EshopId).toBeNull();
		expect(r.json.Result.State).toEqual({ Code: 0, Desc: 'Успешно' });
		const token = r.json.Result.UserToken;
		expect(Buffer.from(token, 'base64')).toHaveLength(48);
		expect(sb.issuedUserTokens()).toContain(token);
		const second = await userToken();
		expect(second).not.toBe(token);
		expect(last()).toMatchObject({
			authValid: true,
			signValid: true,
			hashValid: null,
			verdict: 'accepted',
		});
	});

	test('bad password → Code 2, ErrorSourceParam Login, no token', async () => {
		const before = sb.issuedUserTokens().length;
		const r = await post(
			TOKEN,
			{ Login: DEFAULT_SHOP.login, Password: 'wrong' },
			{ sign: tokenSign(DEFAULT_SHOP.login, 'wrong') },
		);
		expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Неверный логин или пароль' });
		expect(r.json.Result).toEqual({
			State: { Code: 2, Desc: 'Неверный логин или пароль' },
			ErrorSourceParam: 'Login',
		});
		expect(sb.issuedUserTokens()).toHaveLength(before);
		expect(last()).toMatchObject({ signValid: true, verdict: 'refused' });
	});

	test('Sign must use the empty first and fourth segments', async () => {
		const { login, password } = DEFAULT_SHOP;
		const r = await post(
			TOKEN,
			{ Login: login, Password: password },
			{ sign: sha256(`${login}::${password}::SIGNSECRET`) },
		);
		expect(r.json.Result.ErrorSourceParam).toBe('Sign');
	});
});

describe('executeOperation', () => {
	test('InProcess outcome', async () => {
		const op = sb.addPayoutOperation();
		expect(op.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		const r = await execute(await userToken(), op.id);
		expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
		expect(r.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: op.id,
			PayoutOperationState: 'InProcess',
		});
		expect(sb.getPayoutOperation(op.id)?.state).toBe('InProcess');
		expect(sb.ledger().payoutExecutions[op.id]).toBe(1);
	});

	test('Failed outcome carries ErrorMessage', async () => {
		const op = sb.addPayoutOperation({ outcome: 'Failed' });
		const r = await execute(await userToken(), op.id, { as: 'json' });
		expect(r.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: op.id,
			PayoutOperationState: 'Failed',
			ErrorMessage: 'Платеж не прошел в банке',
		});
		expect(sb.ledger().payoutExecutions[op.id]).toBe(1);
	});

	test('re-execution is refused with Code 5 and the ledger stays 1', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		expect((await execute(token, op.id)).json.Result.State.Code).toBe(0);
		const again = await execute(token, op.id);
		expect(again.json.OperationState.Code).toBe(0);
		expect(again.json.Result).toEqual({
			State: { Code: 5, Desc: 'Операция выплаты уже отправлена на обработку' },
			ErrorSourceParam: 'PayoutOperationId',
		});
		expect(sb.getPayoutOperation(op.id)?.state).toBe('InProcess');
		expect(sb.ledger().payoutExecutions[op.id]).toBe(1);
	});

	test('expired token is refused (auth-style, UserToken) and nothing is sent', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		sb.expireUserTokens();
		const r = await execute(token, op.id);
		expect(r.json.OperationState).toEqual({
			Code: 2,
			Desc: 'Токен пользователя недействителен или истёк',
		});
		expect(r.json.Result.ErrorSourceParam).toBe('UserToken');
		expect(last()).toMatchObject({ signValid: true, verdict: 'refused' });
		const unknown = await execute('never-issued', op.id);
		expect(unknown.json.Result.ErrorSourceParam).toBe('UserToken');
		expect(sb.ledger().payoutExecutions[op.id]).toBe(0);
		// A token issued after the expiry works.
		expect((await execute(await userToken(), op.id)).json.Result.State.Code).toBe(0);
	});

	test('tokens expire after userTokenTtlMs', async () => {
		const short = await startSandbox({ userTokenTtlMs: 50 });
		try {
			const op = short.addPayoutOperation();
			const token = short.issueUserToken();
			await sleep(80);
			const r = await execute(token, op.id, { base: short.url });
			expect(r.json.Result.ErrorSourceParam).toBe('UserToken');
			expect(short.ledger().payoutExecutions[op.id]).toBe(0);
		} finally {
			await short.stop();
		}
	});

	test('unknown or malformed operation id → Code 4', async () => {
		const token = await userToken();
		for (const id of ['11111111-2222-4333-8444-555555555555', 'not-a-guid']) {
			const r = await execute(token, id);
			expect(r.json.Result).toEqual({
				State: { Code: 4, Desc: 'Операция выплаты не найдена' },
				ErrorSourceParam: 'PayoutOperationId',
			});
		}
	});

	test('wrong Sign (the UserToken segment missing) is refused before the token is looked at', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		const r = await post(
			PAYOUT,
			{ UserToken: token, PayoutOperationId: op.id },
			{ sign: sha256(`${op.id}::SIGNSECRET`) },
		);
		expect(r.json.Result.ErrorSourceParam).toBe('Sign');
		expect(sb.ledger().payoutExecutions[op.id]).toBe(0);
	});
});

describe('log, helpers and lifecycle', () => {
	test('log entries record the request and the verdict, in order', async () => {
		const inv = sb.addInvoice();
		await capture({ OrderId: inv.orderId }, { sign: 'bad' });
		await capture({ OrderId: inv.orderId });
		expect(sb.log).toHaveLength(2);
		const [refused, accepted] = sb.log;
		expect(accepted.seq).toBe(refused.seq + 1);
		expect(refused).toMatchObject({
			endpoint: CAPTURE,
			method: 'POST',
			contentType: 'application/x-www-form-urlencoded',
			fields: { EshopId: '450000', OrderId: inv.orderId, Hash: captureHash('450000', inv.orderId) },
			authValid: true,
			signValid: false,
			hashValid: true,
			verdict: 'refused',
		});
		expect(refused.headers.authorization).toBe(BEARER);
		expect(refused.headers.sign).toBe('bad');
		expect(accepted).toMatchObject({ signValid: true, hashValid: true, verdict: 'accepted' });
		const resp = /** @type {import('../../dev/sandbox/index.mjs').Envelope} */ (accepted.response);
		expect(resp.Result).toMatchObject({ InvoiceState: 'Paid' });
		sb.clearLog();
		expect(sb.log).toHaveLength(0);
	});

	test('onRequest hook sees each entry before the answer is sent; undefined clears it', async () => {
		const op = sb.addPayoutOperation();
		/** @type {string[]} */
		const seen = [];
		sb.onRequest((entry) => {
			seen.push(`${entry.endpoint} ${entry.verdict}`);
			if (entry.endpoint === TOKEN) sb.expireUserTokens(); // the token dies before the client gets it
		});
		const r = await execute(await userToken(), op.id);
		expect(r.json.Result.ErrorSourceParam).toBe('UserToken');
		expect(seen).toEqual([`${TOKEN} accepted`, `${PAYOUT} refused`]);
		sb.onRequest(undefined);
		expect((await execute(await userToken(), op.id)).json.Result.State.Code).toBe(0);
		expect(seen).toHaveLength(2);
	});

	test('addInvoice generates unique 3xxxxxxxxx ids; getInvoice finds by either id', () => {
		const ids = new Set();
		for (let i = 0; i < 50; i++) {
			const inv = sb.addInvoice();
			expect(inv.invoiceId).toMatch(/^3\d{9}$/);
			ids.add(inv.invoiceId);
		}
		expect(ids.size).toBe(50);
		const inv = sb.addInvoice({ orderId: 'lookup-1', amount: '5.00', currency: 'TST' });
		expect(inv).toMatchObject({
			amount: '5.00',
			currency: 'TST',
			state: 'Held',
			captures: 0,
			outcome: 'ok',
			receipt: null,
		});
		expect(sb.getInvoice('lookup-1')).toBe(inv);
		expect(sb.getInvoice(inv.invoiceId)).toBe(inv);
		expect(sb.getInvoice('nothing')).toBeUndefined();
		expect(() => sb.addInvoice({ orderId: 'lookup-1' })).toThrow(TypeError);
		expect(() => sb.addInvoice({ invoiceId: '12' })).toThrow(TypeError);
	});

	test('latencyMs delays the answer; stop() during the wait does not hang', async () => {
		const slow = await startSandbox({ latencyMs: 150 });
		const inv = slow.addInvoice();
		const started = Date.now();
		const r = await capture({ OrderId: inv.orderId }, { base: slow.url });
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(r.json.Result.State.Code).toBe(0);
		// A request in flight when stop() is called: processed, its answer never sent.
		const inv2 = slow.addInvoice();
		const pending = capture({ OrderId: inv2.orderId }, { base: slow.url }).then(
			() => 'answered',
			() => 'failed',
		);
		while (slow.log.length < 2) await sleep(5);
		await slow.stop();
		expect(await pending).toBe('failed');
		expect(slow.ledger().captures[inv2.invoiceId]).toBe(1);
	});

	test('stop() closes the server and its idle keep-alive sockets', async () => {
		const servers = () =>
			process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
		const before = servers();
		const s = await startSandbox();
		const keepAlive = new http.Agent({ keepAlive: true });
		try {
			expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
			expect(servers()).toBe(before + 1);
			/** @type {import('node:net').Socket | undefined} */
			let socket;
			await new Promise((resolve, reject) => {
				const req = http.request(
					`${s.url}${TOKEN}`,
					{ method: 'POST', agent: keepAlive },
					(res) => {
						res.resume();
						res.on('end', resolve);
					},
				);
				req.on('socket', (sock) => (socket = sock));
				req.on('error', reject);
				req.end();
			});
			if (!socket) throw new Error('no socket');
			const closed = new Promise((resolve) => socket?.once('close', resolve));
			await sleep(20);
			expect(socket.destroyed).toBe(false); // idle, kept alive: server.close() alone would wait for it
			await s.stop();
			await s.stop(); // idempotent
			await closed;
			expect(servers()).toBe(before);
			await expect(
				request(`${s.url}${TOKEN}`, { method: 'POST', dispatcher: agent }),
			).rejects.toThrow();
		} finally {
			keepAlive.destroy();
			await s.stop();
		}
	});
});

/**
 * Runs `fn` against a fresh sandbox (empty invoice list), stopped afterwards.
 * @param {(s: Sandbox) => Promise<void>} fn
 */
async function withSandbox(fn) {
	const s = await startSandbox();
	try {
		await fn(s);
	} finally {
		await s.stop();
	}
}

describe('getOperationState (read)', () => {
	test('Created before execution, InProcess after; reads change nothing and are not in the ledger', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		const before = await operationState(token, op.id);
		expect(before.status).toBe(200);
		expect(before.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
		expect(before.json.EshopId).toBeNull();
		expect(before.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: op.id,
			PayoutOperationState: 'Created',
		});
		expect(last()).toMatchObject({
			endpoint: PAYOUT_STATE,
			authValid: true,
			signValid: true,
			hashValid: null,
			verdict: 'accepted',
			fault: null,
		});
		await operationState(token, op.id);
		expect(sb.getPayoutOperation(op.id)?.state).toBe('Created');
		expect(sb.ledger().payoutExecutions[op.id]).toBe(0);

		expect((await execute(token, op.id)).json.Result.PayoutOperationState).toBe('InProcess');
		const after = await operationState(token, op.id);
		expect(after.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: op.id,
			PayoutOperationState: 'InProcess',
		});
		// The GUID compares case-insensitively; the answer names the operation as it was created.
		const upper = await operationState(token, op.id.toUpperCase());
		expect(upper.json.Result.PayoutOperationId).toBe(op.id);
		expect(sb.ledger().payoutExecutions[op.id]).toBe(1);
	});

	test('a Failed operation carries ErrorMessage', async () => {
		const op = sb.addPayoutOperation({ outcome: 'Failed', errorMessage: 'Карта заблокирована' });
		const token = await userToken();
		expect((await operationState(token, op.id)).json.Result).not.toHaveProperty('ErrorMessage');
		await execute(token, op.id);
		const r = await operationState(token, op.id, { as: 'json' });
		expect(r.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: op.id,
			PayoutOperationState: 'Failed',
			ErrorMessage: 'Карта заблокирована',
		});
		expect(sb.ledger().payoutExecutions[op.id]).toBe(1);
	});

	test('wrong Sign, unknown token, wrong Bearer are refused like executeOperation', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		for (const sign of [sha256(`${token}::${op.id}::WRONGKEY`), sha256(`${op.id}::SIGNSECRET`)]) {
			const r = await operationState(token, op.id, { sign });
			expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Неверная подпись запроса (Sign)' });
			expect(r.json.Result).toEqual({
				State: { Code: 2, Desc: 'Неверная подпись запроса (Sign)' },
				ErrorSourceParam: 'Sign',
			});
			expect(last()).toMatchObject({ signValid: false, verdict: 'refused' });
		}
		const unknown = await operationState('never-issued', op.id);
		expect(unknown.json.OperationState.Code).toBe(2);
		expect(unknown.json.Result.ErrorSourceParam).toBe('UserToken');
		const bearer = await operationState(token, op.id, { authorization: 'Bearer nope' });
		expect(bearer.json.Result.ErrorSourceParam).toBe('Authorization');
		expect(sb.getPayoutOperation(op.id)?.state).toBe('Created');
	});

	test('unknown or malformed operation id → Code 4 PayoutOperationId', async () => {
		const token = await userToken();
		for (const id of ['11111111-2222-4333-8444-555555555555', 'not-a-guid']) {
			const r = await operationState(token, id);
			expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
			expect(r.json.Result).toEqual({
				State: { Code: 4, Desc: 'Операция выплаты не найдена' },
				ErrorSourceParam: 'PayoutOperationId',
			});
			expect(last().verdict).toBe('refused');
		}
	});
});

describe('getInvoicesHistory (read)', () => {
	test('Sign layout: absent fields are empty segments, every field in its place (vectors)', async () => {
		for (const id of ['own-getInvoicesHistory-sign', 'own-getInvoicesHistory-sign-all-fields']) {
			const sign = vector(id);
			sb.issueUserToken(sign.fields.UserToken);
			const r = await post(HISTORY, sign.fields, { sign: sign.digest });
			expect([id, r.json.Result.State.Code]).toEqual([id, 0]);
			expect(last()).toMatchObject({ endpoint: HISTORY, signValid: true, verdict: 'accepted' });
		}
	});

	test('lists every invoice as InvoiceData, in the order added, without touching the ledger', async () => {
		await withSandbox(async (s) => {
			const createdAt = new Date('2025-07-15T15:23:32Z'); // 18:23:32 Moscow time
			s.addInvoice({ invoiceId: '3000000001', orderId: 'o-1', createdAt });
			s.addInvoice({
				invoiceId: '3000000002',
				orderId: 'o-2',
				state: 'Created',
				amount: '10.50',
				currency: 'TST',
				createdAt: createdAt.getTime() + 1000,
			});
			s.addInvoice({ invoiceId: '3000000003', orderId: 'o-3', state: 'Paid', createdAt });
			const token = s.issueUserToken();
			const r = await history(token, {}, { base: s.url });
			expect(r.status).toBe(200);
			expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
			expect(r.json.EshopId).toBeNull();
			const data = (
				/** @type {string} */ id,
				/** @type {string} */ state,
				/** @type {string} */ orderId,
				amount = 100,
				currency = 'RUB',
				date = '2025-07-15 18:23:32',
			) => ({
				Id: id,
				State: state,
				EShopId: 450000,
				PurchaseOrderId: orderId,
				Amount: { Amount: amount, Currency: currency },
				CurrentAmount: { Amount: amount, Currency: currency },
				CreationDate: date,
				ChangeDate: date,
			});
			expect(r.json.Result).toEqual({
				State: { Code: 0, Desc: 'Успешно обработан' },
				InvoicesHistoryList: [
					data('3000000001', 'Held', 'o-1'),
					data('3000000002', 'Created', 'o-2', 10.5, 'TST', '2025-07-15 18:23:33'),
					data('3000000003', 'Paid', 'o-3'),
				],
			});
			expect(s.log[0]).toMatchObject({
				endpoint: HISTORY,
				signValid: true,
				hashValid: null,
				verdict: 'accepted',
				fault: null,
			});
			expect(s.ledger().captures).toEqual({ 3000000001: 0, 3000000002: 0, 3000000003: 0 });
			// XML, when not asked for JSON: the list's entries are <Item> elements.
			const xml = await history(token, { InvoiceId: '3000000001' }, { base: s.url, accept: null });
			expect(xml.contentType).toBe('application/xml; charset=utf-8');
			expect(xml.text).toContain(
				'<InvoicesHistoryList><Item><Id>3000000001</Id><State>Held</State><EShopId>450000</EShopId>',
			);
		});
	});

	test('filter by InvoiceId; an unknown one gives an empty list; a malformed one → Code 3', async () => {
		const a = sb.addInvoice();
		sb.addInvoice();
		const token = await userToken();
		const r = await history(token, { InvoiceId: a.invoiceId, EshopId: '450000' });
		expect(r.json.Result.State).toEqual({ Code: 0, Desc: 'Успешно обработан' });
		expect(r.json.Result.InvoicesHistoryList).toHaveLength(1);
		expect(r.json.Result.InvoicesHistoryList[0]).toMatchObject({
			Id: a.invoiceId,
			State: 'Held',
			PurchaseOrderId: a.orderId,
		});
		const none = await history(token, { InvoiceId: '3999999999' });
		expect(none.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			InvoicesHistoryList: [],
		});
		expect(last().verdict).toBe('accepted');
		const bad = await history(token, { InvoiceId: 'abc' });
		expect(bad.json.Result).toEqual({
			State: { Code: 3, Desc: 'Некорректный номер СКО' },
			ErrorSourceParam: 'InvoiceId',
		});
	});

	test('a capture shows up as Paid with a new ChangeDate; reads do not count as captures', async () => {
		const createdAt = Date.now() - 2 * 24 * 60 * 60 * 1000;
		const inv = sb.addInvoice({ createdAt });
		const token = await userToken();
		const held = (await history(token, { InvoiceId: inv.invoiceId })).json.Result
			.InvoicesHistoryList[0];
		expect(held.State).toBe('Held');
		expect(held.ChangeDate).toBe(held.CreationDate);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
		expect((await capture({ OrderId: inv.orderId })).json.Result.State.Code).toBe(0);
		const paid = (await history(token, { InvoiceId: inv.invoiceId })).json.Result
			.InvoicesHistoryList[0];
		expect(paid.State).toBe('Paid');
		expect(paid.CreationDate).toBe(held.CreationDate);
		expect(paid.ChangeDate > paid.CreationDate).toBe(true);
		expect(paid.ChangeDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		await history(token, { InvoiceId: inv.invoiceId });
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
		expect(inv.state).toBe('Paid');
	});

	test('wrong Sign (segments dropped, other key, wrong order), unknown token, other shop', async () => {
		const inv = sb.addInvoice();
		const token = await userToken();
		const fields = { InvoiceId: inv.invoiceId };
		const signs = [
			sha256(`${token}::0::100::${inv.invoiceId}::SIGNSECRET`), // empty segments dropped
			historySign({ UserToken: token, Skip: '0', Take: '100', ...fields }, 'WRONGKEY'),
			sha256(`${token}::100::0::::${inv.invoiceId}::::::::::::::::::::SIGNSECRET`), // Skip/Take swapped
		];
		for (const sign of signs) {
			const r = await history(token, fields, { sign });
			expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Неверная подпись запроса (Sign)' });
			expect(r.json.Result.ErrorSourceParam).toBe('Sign');
			expect(last()).toMatchObject({ signValid: false, verdict: 'refused' });
		}
		const unknown = await history('never-issued', fields);
		expect(unknown.json.OperationState.Code).toBe(2);
		expect(unknown.json.Result.ErrorSourceParam).toBe('UserToken');
		const shop = await history(token, { ...fields, EshopId: '450001' });
		expect(shop.json.OperationState.Code).toBe(0);
		expect(shop.json.Result).toEqual({
			State: { Code: 3, Desc: 'Магазин не найден' },
			ErrorSourceParam: 'EshopId',
		});
	});

	test('Skip and Take page the list and are required', async () => {
		await withSandbox(async (s) => {
			const ids = Array.from(
				{ length: 5 },
				(_, i) => s.addInvoice({ invoiceId: `300000000${i}` }).invoiceId,
			);
			const token = s.issueUserToken();
			/** @param {Record<string, string>} fields */
			const page = async (fields) => (await history(token, fields, { base: s.url })).json.Result;
			const listed = async (/** @type {Record<string, string>} */ fields) =>
				(await page(fields)).InvoicesHistoryList.map((/** @type {any} */ d) => d.Id);
			expect(await listed({ Skip: '1', Take: '2' })).toEqual(ids.slice(1, 3));
			expect(await listed({ Skip: '4', Take: '10' })).toEqual(ids.slice(4));
			expect(await listed({ Skip: '9', Take: '10' })).toEqual([]);
			/** @type {Array<[Record<string, string>, string]>} */
			const bad = [
				[{ Skip: '' }, 'Skip'],
				[{ Skip: '-1' }, 'Skip'],
				[{ Skip: 'x' }, 'Skip'],
				[{ Take: '' }, 'Take'],
				[{ Take: '0' }, 'Take'],
				[{ Take: '1.5' }, 'Take'],
			];
			for (const [fields, param] of bad) {
				expect(await page(fields)).toEqual({
					State: { Code: 3, Desc: `Некорректное значение ${param}` },
					ErrorSourceParam: param,
				});
			}
		});
	});

	test('DateFrom/DateTo (creation) and ChangeDateFrom/ChangeDateTo, bounds included, Moscow time', async () => {
		await withSandbox(async (s) => {
			const at = (/** @type {string} */ msk) => new Date(`${msk.replace(' ', 'T')}+03:00`);
			s.addInvoice({ invoiceId: '3000000001', createdAt: at('2025-01-10 12:00:00') });
			s.addInvoice({ invoiceId: '3000000002', createdAt: at('2025-01-20 12:00:00') });
			const third = s.addInvoice({ invoiceId: '3000000003', createdAt: at('2025-01-30 12:00:00') });
			const token = s.issueUserToken();
			const listed = async (/** @type {Record<string, string>} */ fields) =>
				(await history(token, fields, { base: s.url })).json.Result.InvoicesHistoryList.map(
					(/** @type {any} */ d) => d.Id,
				);
			expect(await listed({ DateFrom: '2025-01-20 12:00:00' })).toEqual([
				'3000000002',
				'3000000003',
			]);
			expect(await listed({ DateTo: '2025-01-20 12:00:00' })).toEqual(['3000000001', '3000000002']);
			expect(
				await listed({ DateFrom: '2025-01-15 00:00:00', DateTo: '2025-01-25 00:00:00' }),
			).toEqual(['3000000002']);
			// Moscow time: 09:00:00 UTC is 12:00:00 in the answer and in the filter.
			expect(await listed({ DateTo: '2025-01-10 11:59:59' })).toEqual([]);
			third.changedAt = at('2025-02-01 08:00:00').getTime();
			expect(await listed({ ChangeDateFrom: '2025-02-01 08:00:00' })).toEqual(['3000000003']);
			expect(await listed({ ChangeDateTo: '2025-01-31 00:00:00' })).toEqual([
				'3000000001',
				'3000000002',
			]);
			for (const [param, value] of [
				['DateFrom', '2025-01-10'],
				['DateTo', '2025-02-30 00:00:00'],
				['ChangeDateFrom', '10.01.2025 12:00:00'],
				['ChangeDateTo', '2025-01-10T12:00:00'],
			]) {
				const r = await history(token, { [param]: value }, { base: s.url });
				expect(r.json.Result).toEqual({
					State: { Code: 3, Desc: 'Некорректная дата' },
					ErrorSourceParam: param,
				});
			}
			expect(s.log.every((e) => e.signValid === true)).toBe(true);
		});
	});
});

describe('fault injection', () => {
	test('FAULT_KINDS lists the fifteen kinds', () => {
		expect(FAULT_KINDS).toEqual([
			'reset',
			'timeout',
			'http500',
			'http502',
			'http503',
			'http429',
			'html',
			'xml',
			'redirect307',
			'echoHtml',
			'truncated',
			'applyThenDrop',
			'latency',
			'http202',
			'drip',
		]);
		expect(Object.isFrozen(FAULT_KINDS)).toBe(true);
	});

	test('http500/502/503: that status and a small HTML page; nothing processed', async () => {
		const pages = {
			http500: [500, '<html><body><h1>500 Internal Server Error</h1></body></html>'],
			http502: [502, '<html><body><h1>502 Bad Gateway</h1></body></html>'],
			http503: [503, '<html><body><h1>503 Service Unavailable</h1></body></html>'],
		};
		for (const [kind, [status, page]] of Object.entries(pages)) {
			const inv = sb.addInvoice();
			sb.injectFaults({
				kind: /** @type {import('../../dev/sandbox/index.mjs').FaultKind} */ (kind),
			});
			const r = await capture({ OrderId: inv.orderId });
			expect(r.status).toBe(status);
			expect(r.contentType).toBe('text/html; charset=utf-8');
			expect(r.text).toBe(page);
			expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
			expect(inv.state).toBe('Held');
			expect(last()).toMatchObject({
				endpoint: CAPTURE,
				fault: kind,
				authValid: true,
				signValid: true,
				hashValid: true,
				verdict: 'refused',
				response: { error: `fault: ${kind}` },
			});
			// The fault is used up: the retry goes through.
			expect((await capture({ OrderId: inv.orderId })).json.Result.State.Code).toBe(0);
			expect(last().fault).toBeNull();
			expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
		}
	});

	test('http429: Retry-After 2 and a JSON error body; nothing processed', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		sb.injectFaults({ kind: 'http429' });
		const r = await execute(token, op.id);
		expect(r.status).toBe(429);
		expect(r.headers['retry-after']).toBe('2');
		expect(r.contentType).toBe('application/json; charset=utf-8');
		expect(r.json).toEqual({ error: 'Too Many Requests' });
		expect(sb.ledger().payoutExecutions[op.id]).toBe(0);
		expect(op.state).toBe('Created');
		expect(last()).toMatchObject({ fault: 'http429', verdict: 'refused', signValid: true });
	});

	test('html: HTTP 200 with a login page; xml: HTTP 200 XML though JSON was asked; nothing processed', async () => {
		const inv = sb.addInvoice();
		sb.injectFaults({ kind: 'html' });
		const html = await capture({ OrderId: inv.orderId });
		expect(html.status).toBe(200);
		expect(html.contentType).toBe('text/html; charset=utf-8');
		expect(html.text).toMatch(/^<!DOCTYPE html>.*<form/);
		expect(html.json).toBeUndefined();
		expect(last()).toMatchObject({
			fault: 'html',
			verdict: 'refused',
			response: { error: 'fault: html' },
		});

		sb.injectFaults({ kind: 'xml' });
		const xml = await capture({ OrderId: inv.orderId }, { accept: 'application/json' });
		expect(xml.status).toBe(200);
		expect(xml.contentType).toBe('application/xml; charset=utf-8');
		expect(xml.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><Error>/);
		expect(last()).toMatchObject({ fault: 'xml', verdict: 'refused' });
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('redirect307: a redirect to /elsewhere/… on the sandbox; echoHtml: the request echoed; nothing processed', async () => {
		const inv = sb.addInvoice();
		sb.injectFaults({ kind: 'redirect307', endpoint: CAPTURE });
		const moved = await capture({ OrderId: inv.orderId });
		expect(moved.status).toBe(307);
		expect(moved.headers.location).toBe(`${sb.url}elsewhere/${CAPTURE}`);
		expect(last()).toMatchObject({ fault: 'redirect307', verdict: 'refused' });

		sb.injectFaults({ kind: 'echoHtml', endpoint: CAPTURE });
		const echo = await capture({ OrderId: inv.orderId });
		expect(echo.status).toBe(200);
		expect(echo.contentType).toBe('text/html; charset=utf-8');
		// The page carries the Bearer token and the body, as a misconfigured proxy's page might.
		expect(echo.text).toContain(sb.shop.bearerToken);
		expect(echo.text).toContain(`OrderId=${inv.orderId}`);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('http202: processed, answered 202; drip: processed, the answer one byte at a time', async () => {
		const inv = sb.addInvoice();
		sb.injectFaults({ kind: 'http202', endpoint: CAPTURE });
		const accepted = await capture({ OrderId: inv.orderId });
		expect(accepted.status).toBe(202);
		expect(accepted.json.Result.State.Code).toBe(0);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);

		const other = sb.addInvoice();
		sb.injectFaults({ kind: 'drip', endpoint: CAPTURE });
		const started = Date.now();
		const dripped = capture({ OrderId: other.orderId });
		// Processed at once; the answer takes 200 ms a byte.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(sb.ledger().captures[other.invoiceId]).toBe(1);
		await sb.stop();
		await dripped.catch(() => undefined);
		expect(Date.now() - started).toBeLessThan(5000);
		sb = await startSandbox();
	});

	test('match: a fault hits only requests whose body fields have the given values', async () => {
		const first = sb.addInvoice();
		const second = sb.addInvoice();
		sb.injectFaults({ kind: 'http500', endpoint: CAPTURE, match: { OrderId: second.orderId } });
		expect((await capture({ OrderId: first.orderId })).status).toBe(200);
		expect(sb.pendingFaults()).toBe(1);
		expect((await capture({ OrderId: second.orderId })).status).toBe(500);
		expect(sb.pendingFaults()).toBe(0);
	});

	test('reset: the socket is destroyed, no answer, nothing processed', async () => {
		const inv = sb.addInvoice();
		sb.injectFaults({ kind: 'reset', endpoint: CAPTURE });
		await expect(capture({ OrderId: inv.orderId })).rejects.toThrow();
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
		expect(last()).toMatchObject({
			fault: 'reset',
			verdict: 'refused',
			response: { error: 'fault: reset' },
		});
		expect(sb.pendingFaults()).toBe(0);
		expect((await capture({ OrderId: inv.orderId })).json.Result.State.Code).toBe(0);
	});

	test('timeout: no answer until the client gives up; nothing processed; the sandbox keeps serving', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		sb.injectFaults({ kind: 'timeout', endpoint: PAYOUT });
		const started = Date.now();
		await expect(execute(token, op.id, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(last()).toMatchObject({ endpoint: PAYOUT, fault: 'timeout', verdict: 'refused' });
		expect(sb.ledger().payoutExecutions[op.id]).toBe(0);
		expect(op.state).toBe('Created');
		expect((await execute(token, op.id)).json.Result.PayoutOperationState).toBe('InProcess');
	});

	test('truncated: processed (money moved), full Content-Length, half the body, then the socket is cut', async () => {
		const inv = sb.addInvoice();
		sb.injectFaults({ kind: 'truncated' });
		const res = await postRaw(
			CAPTURE,
			{ EshopId: '450000', OrderId: inv.orderId, Hash: captureHash('450000', inv.orderId) },
			{ sign: captureSign('450000', inv.orderId) },
		);
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
		const full = Buffer.from(JSON.stringify(last().response), 'utf8');
		expect(Number(res.headers['content-length'])).toBe(full.length);
		/** @type {Buffer[]} */
		const received = [];
		await expect(
			(async () => {
				for await (const chunk of res.body) received.push(Buffer.from(chunk));
			})(),
		).rejects.toThrow();
		expect(Buffer.concat(received)).toEqual(full.subarray(0, Math.floor(full.length / 2)));
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
		expect(inv.state).toBe('Paid');
		expect(last()).toMatchObject({ fault: 'truncated', verdict: 'accepted' });
		expect(last().response).toMatchObject({ Result: { InvoiceState: 'Paid' } });
		// A retry learns that the capture happened.
		expect((await capture({ OrderId: inv.orderId })).json.Result.State.Code).toBe(5);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('applyThenDrop: processed (money moved), then no answer; a state read tells the truth', async () => {
		const op = sb.addPayoutOperation();
		const token = await userToken();
		sb.injectFaults({ kind: 'applyThenDrop', endpoint: PAYOUT });
		await expect(execute(token, op.id)).rejects.toThrow();
		expect(sb.ledger().payoutExecutions[op.id]).toBe(1);
		expect(op.state).toBe('InProcess');
		expect(last()).toMatchObject({ endpoint: PAYOUT, fault: 'applyThenDrop', verdict: 'accepted' });
		expect(last().response).toMatchObject({ Result: { PayoutOperationState: 'InProcess' } });
		expect((await operationState(token, op.id)).json.Result.PayoutOperationState).toBe('InProcess');
		const retry = await execute(token, op.id);
		expect(retry.json.Result.State.Code).toBe(5);
		expect(sb.ledger().payoutExecutions[op.id]).toBe(1);
	});

	test('latency: processed first, answered latencyMs later', async () => {
		const inv = sb.addInvoice();
		sb.injectFaults({ kind: 'latency', latencyMs: 250 });
		const started = Date.now();
		const pending = capture({ OrderId: inv.orderId });
		await logLength(sb, 1);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1); // before the answer has arrived
		const r = await pending;
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		expect(r.json.Result.State.Code).toBe(0);
		expect(last()).toMatchObject({ fault: 'latency', verdict: 'accepted' });
	});

	test('latency (default 1000 ms) is cut short by stop()', async () => {
		const s = await startSandbox();
		const inv = s.addInvoice();
		s.injectFaults({ kind: 'latency' });
		const pending = capture({ OrderId: inv.orderId }, { base: s.url }).then(
			() => 'answered',
			() => 'failed',
		);
		await logLength(s, 1);
		const started = Date.now();
		await s.stop();
		expect(Date.now() - started).toBeLessThan(500);
		expect(await pending).toBe('failed');
		expect(s.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('count: each matching request consumes one; pendingFaults counts what is left', async () => {
		const inv = sb.addInvoice();
		expect(sb.pendingFaults()).toBe(0);
		sb.injectFaults({ kind: 'http503', count: 2 });
		sb.injectFaults({ kind: 'http502', endpoint: CAPTURE });
		expect(sb.pendingFaults()).toBe(3);
		expect((await capture({ OrderId: inv.orderId })).status).toBe(503);
		expect(sb.pendingFaults()).toBe(2);
		expect((await capture({ OrderId: inv.orderId })).status).toBe(503);
		expect(sb.pendingFaults()).toBe(1);
		expect((await capture({ OrderId: inv.orderId })).status).toBe(502);
		expect(sb.pendingFaults()).toBe(0);
		expect((await capture({ OrderId: inv.orderId })).json.Result.State.Code).toBe(0);
		expect(sb.log.map((e) => e.fault)).toEqual(['http503', 'http503', 'http502', null]);
		expect(sb.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('endpoint filter: other endpoints pass untouched; first matching fault wins', async () => {
		const op = sb.addPayoutOperation();
		sb.injectFaults({ kind: 'http500', endpoint: `/${PAYOUT}` }); // a leading slash is accepted
		const token = await userToken();
		const inv = sb.addInvoice();
		expect((await capture({ OrderId: inv.orderId })).json.Result.State.Code).toBe(0);
		expect((await operationState(token, op.id)).status).toBe(200);
		expect(sb.pendingFaults()).toBe(1);
		expect((await execute(token, op.id)).status).toBe(500);
		expect(sb.pendingFaults()).toBe(0);
		expect(sb.log.map((e) => [e.endpoint, e.fault])).toEqual([
			[TOKEN, null],
			[CAPTURE, null],
			[PAYOUT_STATE, null],
			[PAYOUT, 'http500'],
		]);

		sb.clearLog();
		sb.injectFaults({ kind: 'http503', endpoint: PAYOUT });
		sb.injectFaults({ kind: 'http502' });
		sb.injectFaults({ kind: 'html', endpoint: TOKEN });
		// The token request skips the payout fault and takes the any-endpoint one, then its own.
		await expect(userToken()).rejects.toThrow();
		expect(last().fault).toBe('http502');
		await expect(userToken()).rejects.toThrow();
		expect(last().fault).toBe('html');
		expect(sb.pendingFaults()).toBe(1);
		expect((await execute(token, op.id)).status).toBe(503);
		expect(op.state).toBe('Created');
	});

	test('every served endpoint takes a fault by name: nothing processed, then served normally', async () => {
		const served = [
			TOKEN,
			'merchant/createInvoice',
			CAPTURE,
			'merchant/purchaseToRefund',
			HISTORY,
			'personal/payout/createOperation',
			PAYOUT,
			PAYOUT_STATE,
		];
		for (const endpoint of served) {
			sb.injectFaults({ kind: 'http502', endpoint });
			const faulted = await post(endpoint, {}, { sign: 'x' });
			expect([endpoint, faulted.status]).toEqual([endpoint, 502]);
			expect(last()).toMatchObject({ endpoint, fault: 'http502', verdict: 'refused' });
			const answered = await post(endpoint, {}, { sign: 'x' });
			expect([endpoint, answered.status, answered.json.Result.ErrorSourceParam]).toEqual([
				endpoint,
				200,
				'Sign',
			]);
		}
		expect(sb.pendingFaults()).toBe(0);
	});

	test('a fault with no endpoint also hits unknown paths', async () => {
		sb.injectFaults({ kind: 'http502' });
		const r = await post('merchant/purchaseToNowhere', {});
		expect(r.status).toBe(502);
		expect(last()).toMatchObject({
			endpoint: 'merchant/purchaseToNowhere',
			fault: 'http502',
			signValid: null,
			verdict: 'refused',
			response: { error: 'fault: http502' },
		});
	});

	test('clearFaults empties the queue; bad specs throw a TypeError', async () => {
		sb.injectFaults({ kind: 'reset', count: 3 });
		sb.injectFaults({ kind: 'timeout', endpoint: CAPTURE });
		expect(sb.pendingFaults()).toBe(4);
		sb.clearFaults();
		expect(sb.pendingFaults()).toBe(0);
		const inv = sb.addInvoice();
		expect((await capture({ OrderId: inv.orderId })).json.Result.State.Code).toBe(0);
		const bad = [
			{ kind: 'nope' },
			{ kind: 'reset', count: 0 },
			{ kind: 'reset', count: 1.5 },
			{ kind: 'reset', endpoint: 'merchant/purchaseToPayd' },
			{ kind: 'latency', latencyMs: -1 },
		];
		for (const spec of bad) {
			expect(() =>
				sb.injectFaults(
					/** @type {import('../../dev/sandbox/index.mjs').FaultSpec} */ (
						/** @type {unknown} */ (spec)
					),
				),
			).toThrow(TypeError);
		}
		expect(sb.pendingFaults()).toBe(0);
	});

	test('stop() with a request held by a timeout fault closes it and leaves no open handle', async () => {
		/** @param {string} name */
		const count = (name) => process.getActiveResourcesInfo().filter((r) => r === name).length;
		const client = new Agent();
		let clientClosed = false;
		const servers = count('TCPServerWrap');
		const sockets = count('TCPSocketWrap');
		const s = await startSandbox();
		try {
			const inv = s.addInvoice();
			s.injectFaults({ kind: 'timeout' });
			const pending = capture({ OrderId: inv.orderId }, { base: s.url, dispatcher: client }).then(
				() => 'answered',
				() => 'failed',
			);
			await logLength(s, 1);
			expect(s.pendingFaults()).toBe(0);
			expect(count('TCPSocketWrap')).toBeGreaterThan(sockets); // held open: no answer, no close
			const started = Date.now();
			await s.stop();
			expect(Date.now() - started).toBeLessThan(500);
			expect(await pending).toBe('failed');
			expect(s.ledger().captures[inv.invoiceId]).toBe(0);
			await client.close();
			clientClosed = true;
			// Handles leave the list when libuv has closed them, a moment after the close events.
			const leftOver = () => count('TCPSocketWrap') > sockets || count('TCPServerWrap') > servers;
			for (let i = 0; i < 100 && leftOver(); i++) await sleep(10);
			expect(count('TCPSocketWrap')).toBeLessThanOrEqual(sockets);
			expect(count('TCPServerWrap')).toBe(servers);
		} finally {
			await s.stop();
			if (!clientClosed) await client.close();
		}
	});
});
