// @ts-check
/**
 * The sandbox's invoice lifecycle: createInvoice, the buyer's payInvoice, purchaseToPaid on a paid
 * hold, purchaseToRefund (release, cancel, refund), and faults on the new merchant endpoints.
 * Requests are signed by test/sandbox/client.mjs (the sandbox's recipes, proved by recipes.test.mjs);
 * the published examples 4 and 6 of docs/intellectmoney-api.md §3 come from test/vectors/.
 */
import { describe, test, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { Agent } from 'undici';
import { DEFAULT_SHOP, startSandbox } from '../../dev/sandbox/index.mjs';
import {
	CAPTURE,
	CREATE_INVOICE,
	CREATE_INVOICE_FIELDS,
	HISTORY,
	REFUND,
	TOKEN,
	captureHash,
	captureSign,
	createInvoiceHash,
	createInvoicePurchaseHash,
	createInvoiceSign,
	historySign,
	moscowIn,
	post,
	refundHash,
	refundSign,
	sha256,
	tokenSign,
} from './client.mjs';
import { vector } from '../vectors/vectors.mjs';

/** @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox */

/** @type {Sandbox} */
let sb;
const agent = new Agent();
let orderCounter = 0;

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

const last = () => sb.log[sb.log.length - 1];

/**
 * createInvoice with a fresh OrderId, 10.00 RUB, correct Sign and Hash computed from the fields sent
 * unless overridden (`sign: null` / `hash: null` = left out).
 * @param {Record<string, string>} [fields]
 * @param {{ sign?: string | null, hash?: string | null, authorization?: string | null,
 *   as?: 'form' | 'json', base?: string }} [o]
 */
async function createInvoice(fields = {}, o = {}) {
	/** @type {Record<string, string>} */
	const body = {
		EshopId: '450000',
		OrderId: `lifecycle-${++orderCounter}`,
		RecipientAmount: '10.00',
		RecipientCurrency: 'RUB',
		...fields,
	};
	const hash = o.hash === undefined ? createInvoiceHash(body) : o.hash;
	if (hash !== null) body.Hash = hash;
	const sign = o.sign === undefined ? createInvoiceSign(body) : o.sign;
	const r = await post(o.base ?? sb.url, CREATE_INVOICE, body, {
		dispatcher: agent,
		sign,
		authorization: o.authorization,
		as: o.as,
	});
	return { ...r, orderId: body.OrderId };
}

/**
 * purchaseToRefund by OrderId (or InvoiceId: then the OrderId segment is empty), correctly signed.
 * @param {Record<string, string>} fields
 * @param {{ sign?: string, hash?: string | null, base?: string }} [o]
 */
async function refund(fields, o = {}) {
	/** @type {Record<string, string>} */
	const body = { EshopId: '450000', ...fields };
	const orderId = fields.OrderId ?? '';
	const hash = o.hash === undefined ? refundHash('450000', orderId) : o.hash;
	if (hash !== null) body.Hash = hash;
	return post(o.base ?? sb.url, REFUND, body, {
		dispatcher: agent,
		sign: o.sign ?? refundSign('450000', orderId),
	});
}

/** @param {Record<string, string>} fields */
async function capture(fields) {
	const orderId = fields.OrderId ?? '';
	return post(
		sb.url,
		CAPTURE,
		{ EshopId: '450000', ...fields, Hash: captureHash('450000', orderId) },
		{ dispatcher: agent, sign: captureSign('450000', orderId) },
	);
}

/** getInvoicesHistory for one invoice, with a fresh user token. @param {string} invoiceId */
async function historyOf(invoiceId) {
	const { login, password } = DEFAULT_SHOP;
	const tokenAnswer = await post(
		sb.url,
		TOKEN,
		{ Login: login, Password: password },
		{ dispatcher: agent, sign: tokenSign(login, password) },
	);
	const token = tokenAnswer.json.Result.UserToken;
	const fields = { UserToken: token, Skip: '0', Take: '10', InvoiceId: invoiceId };
	const r = await post(sb.url, HISTORY, fields, { dispatcher: agent, sign: historySign(fields) });
	return r.json.Result.InvoicesHistoryList;
}

describe('createInvoice', () => {
	test('vector 6: the published Sign verifies; a 3xxxxxxxxx InvoiceId; stored Created; listed by getInvoicesHistory', async () => {
		const sign = vector('ref-6-createInvoice-sign');
		const hash = vector('own-createInvoice-hash-ref6');
		expect(hash.fields).toEqual(sign.fields);
		const r = await post(
			sb.url,
			CREATE_INVOICE,
			{ ...sign.fields, Hash: hash.digest },
			{ dispatcher: agent, sign: sign.digest },
		);
		expect(r.status).toBe(200);
		expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
		expect(r.json.EshopId).toBe(450000);
		expect(r.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			InvoiceId: expect.stringMatching(/^3\d{9}$/),
		});
		expect(last()).toMatchObject({
			endpoint: CREATE_INVOICE,
			authValid: true,
			signValid: true,
			hashValid: true,
			verdict: 'accepted',
		});
		const invoiceId = r.json.Result.InvoiceId;
		expect(sb.getInvoice('order-42')).toMatchObject({
			invoiceId,
			state: 'Created',
			amount: '10.00',
			currency: 'TST',
			serviceName: 'Test',
			email: 'buyer@example.com',
			resultUrl: 'https://example.com/im/result',
			holdMode: false,
			captures: 0,
			refunds: 0,
		});
		const [listed] = await historyOf(invoiceId);
		expect(listed).toMatchObject({
			Id: invoiceId,
			State: 'Created',
			PurchaseOrderId: 'order-42',
			Amount: { Amount: 10, Currency: 'TST' },
			CurrentAmount: { Amount: 10, Currency: 'TST' },
			CreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
		});
		// The Result URL is not on this machine: the sandbox logs it as not posted, and never retries.
		await sb.flushNotifications();
		const tried = sb.notifications.filter((n) => n.invoiceId === invoiceId);
		expect(tried).toHaveLength(1);
		expect(tried[0]).toMatchObject({
			url: 'https://example.com/im/result',
			status: null,
			ok: false,
			error: 'not posted: example.com is not a loopback host',
		});
	});

	test('a hold invoice, JSON body: hold settings, URLs, names stored; PurchaseHash accepted', async () => {
		const expireDate = moscowIn(24 * 60 * 60 * 1000);
		const fields = {
			ServiceName: 'Заказ №7',
			RecipientAmount: '1500.50',
			UserName: 'Иван Петров',
			Email: 'ivan@example.com',
			SuccessUrl: 'https://shop.example/ok',
			FailUrl: 'https://shop.example/fail',
			BackUrl: 'https://shop.example/back',
			ResultUrl: 'https://shop.example/im/result',
			ExpireDate: expireDate,
			HoldMode: '1',
			HoldTime: '72',
			Preference: 'BankCard',
		};
		const signed = {
			EshopId: '450000',
			OrderId: 'hold-json-1',
			RecipientCurrency: 'RUB',
			...fields,
		};
		const r = await createInvoice(
			{ OrderId: 'hold-json-1', ...fields, PurchaseHash: createInvoicePurchaseHash(signed) },
			{ as: 'json' },
		);
		expect(r.json.Result.State).toEqual({ Code: 0, Desc: 'Успешно обработан' });
		expect(sb.getInvoice(r.json.Result.InvoiceId)).toMatchObject({
			orderId: 'hold-json-1',
			state: 'Created',
			amount: '1500.50',
			currency: 'RUB',
			serviceName: 'Заказ №7',
			userName: 'Иван Петров',
			email: 'ivan@example.com',
			resultUrl: 'https://shop.example/im/result',
			holdMode: true,
			holdTime: 72,
			expireDate,
			preference: 'BankCard',
		});
	});

	test('TST without Authorization and Sign is accepted (log: null, not checked); when sent they must be right', async () => {
		const bare = await createInvoice(
			{ RecipientCurrency: 'TST' },
			{ authorization: null, sign: null },
		);
		expect(bare.json.Result.State.Code).toBe(0);
		expect(last()).toMatchObject({
			authValid: null,
			signValid: null,
			hashValid: true,
			verdict: 'accepted',
		});
		expect(sb.getInvoice(bare.orderId)?.currency).toBe('TST');

		const wrongBearer = await createInvoice(
			{ RecipientCurrency: 'TST' },
			{ authorization: 'Bearer nope', sign: null },
		);
		expect(wrongBearer.json.OperationState.Code).toBe(2);
		expect(wrongBearer.json.Result).toEqual({
			State: { Code: 2, Desc: 'Ошибка авторизации: неверный Bearer-токен' },
			ErrorSourceParam: 'Authorization',
		});
		const wrongSign = await createInvoice(
			{ RecipientCurrency: 'TST' },
			{ authorization: null, sign: 'f'.repeat(64) },
		);
		expect(wrongSign.json.Result.ErrorSourceParam).toBe('Sign');
		expect(last()).toMatchObject({ authValid: null, signValid: false, verdict: 'refused' });
		// TST frees the headers only, not the shop's Hash.
		const noHash = await createInvoice(
			{ RecipientCurrency: 'TST' },
			{ authorization: null, sign: null, hash: null },
		);
		expect(noHash.json.Result.ErrorSourceParam).toBe('Hash');
		for (const r of [wrongBearer, wrongSign, noHash])
			expect(sb.getInvoice(r.orderId)).toBeUndefined();

		// Any other currency needs both headers.
		const rubBare = await createInvoice({}, { authorization: null });
		expect(rubBare.json.Result.ErrorSourceParam).toBe('Authorization');
		expect(last().authValid).toBe(false);
		const rubNoSign = await createInvoice({}, { sign: null });
		expect(rubNoSign.json.Result.ErrorSourceParam).toBe('Sign');
		expect(sb.getInvoice(rubBare.orderId)).toBeUndefined();
		expect(sb.getInvoice(rubNoSign.orderId)).toBeUndefined();
	});

	test('wrong Sign (other key, FailUrl segment dropped), wrong Hash, wrong PurchaseHash: refused, nothing created', async () => {
		/** @type {Record<string, string>} */
		const base = {
			EshopId: '450000',
			OrderId: 'sign-1',
			RecipientAmount: '10.00',
			RecipientCurrency: 'RUB',
			FailUrl: 'https://shop.example/fail',
		};
		// 13 value segments instead of 14: a client reading the dev page's `SuccessUrl::::BackUrl`
		// literally, with a FailUrl given (docs/intellectmoney-api.md §7 Q1).
		const withoutFailUrl = CREATE_INVOICE_FIELDS.filter((n) => n !== 'FailUrl');
		const dropped = sha256([...withoutFailUrl.map((n) => base[n] ?? ''), 'SIGNSECRET'].join('::'));
		for (const sign of [
			createInvoiceSign(base, 'WRONGKEY'),
			dropped,
			createInvoiceSign(base).toUpperCase(),
		]) {
			const r = await createInvoice(
				{ OrderId: 'sign-1', FailUrl: 'https://shop.example/fail' },
				{ sign },
			);
			expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Неверная подпись запроса (Sign)' });
			expect(r.json.Result).toEqual({
				State: { Code: 2, Desc: 'Неверная подпись запроса (Sign)' },
				ErrorSourceParam: 'Sign',
			});
		}
		const wrongHash = await createInvoice(
			{ OrderId: 'sign-1' },
			{ hash: createInvoiceHash(base, 'SIGNSECRET') },
		);
		expect(wrongHash.json.Result).toEqual({
			State: { Code: 2, Desc: 'Неверная подпись данных (Hash)' },
			ErrorSourceParam: 'Hash',
		});
		expect(last()).toMatchObject({ signValid: true, hashValid: false, verdict: 'refused' });
		const noHash = await createInvoice(
			{ OrderId: 'sign-1', FailUrl: 'https://shop.example/fail' },
			{ hash: null },
		);
		expect(noHash.json.Result.ErrorSourceParam).toBe('Hash');
		// PurchaseHash over the Hash's full field list is the wrong formula.
		const wrongPurchaseHash = await createInvoice({
			OrderId: 'sign-1',
			FailUrl: 'https://shop.example/fail',
			PurchaseHash: createInvoiceHash(base),
		});
		expect(wrongPurchaseHash.json.Result).toEqual({
			State: { Code: 2, Desc: 'Неверная подпись данных (PurchaseHash)' },
			ErrorSourceParam: 'PurchaseHash',
		});
		expect(sb.getInvoice('sign-1')).toBeUndefined();
		const good = await createInvoice({
			OrderId: 'sign-1',
			FailUrl: 'https://shop.example/fail',
			PurchaseHash: createInvoicePurchaseHash(base),
		});
		expect(good.json.Result.State.Code).toBe(0);
	});

	test('field checks: each bad value refused with Code 3 naming the field; nothing created', async () => {
		/** @type {Array<[Record<string, string>, string]>} */
		const cases = [
			[{ RecipientAmount: '10' }, 'RecipientAmount'],
			[{ RecipientAmount: '10.5' }, 'RecipientAmount'],
			[{ RecipientAmount: '10,00' }, 'RecipientAmount'],
			[{ RecipientAmount: '1.000' }, 'RecipientAmount'],
			[{ RecipientAmount: '0.99' }, 'RecipientAmount'],
			[{ RecipientAmount: '-5.00' }, 'RecipientAmount'],
			[{ RecipientAmount: '12345678901.00' }, 'RecipientAmount'],
			[{ RecipientAmount: '' }, 'RecipientAmount'],
			[{ RecipientCurrency: 'GBP' }, 'RecipientCurrency'],
			[{ RecipientCurrency: 'rub' }, 'RecipientCurrency'],
			[{ EshopId: '450001' }, 'EshopId'],
			[{ OrderId: '' }, 'OrderId'],
			[{ OrderId: 'x'.repeat(51) }, 'OrderId'],
			[{ ServiceName: 's'.repeat(1025) }, 'ServiceName'],
			[{ UserName: 'u'.repeat(256) }, 'UserName'],
			[{ Email: `${'e'.repeat(89)}@example.com` }, 'Email'],
			[{ SuccessUrl: `https://x.example/${'p'.repeat(495)}` }, 'SuccessUrl'],
			[{ ResultUrl: `https://x.example/${'p'.repeat(495)}` }, 'ResultUrl'],
			[{ ExpireDate: '2030-01-01T10:00:00' }, 'ExpireDate'],
			[{ ExpireDate: '2030-02-30 10:00:00' }, 'ExpireDate'],
			[{ ExpireDate: moscowIn(-60_000) }, 'ExpireDate'],
			[{ HoldMode: 'true' }, 'HoldMode'],
			[{ HoldMode: '2' }, 'HoldMode'],
			[{ HoldMode: '0', HoldTime: '120' }, 'HoldTime'],
			[{ HoldMode: '1', ExpireDate: moscowIn(3_600_000), HoldTime: '-1' }, 'HoldTime'],
			[{ HoldMode: '1', ExpireDate: moscowIn(3_600_000), HoldTime: '1.5' }, 'HoldTime'],
			[{ HoldMode: '1', HoldTime: '24' }, 'ExpireDate'],
			[{ HoldMode: '1', ExpireDate: moscowIn(3_600_000) }, 'HoldTime'],
			[{ HoldMode: '1' }, 'ExpireDate'],
		];
		for (const [fields, param] of cases) {
			const r = await createInvoice(fields);
			expect([param, r.json.OperationState]).toEqual([
				param,
				{ Code: 0, Desc: 'Успешно обработана' },
			]);
			expect([param, r.json.Result.State.Code, r.json.Result.ErrorSourceParam]).toEqual([
				param,
				3,
				param,
			]);
			expect(typeof r.json.Result.State.Desc).toBe('string');
			expect(last().verdict).toBe('refused');
			if (r.orderId) expect(sb.getInvoice(r.orderId)).toBeUndefined();
		}
		const receipt = await createInvoice({ MerchantReceipt: '[1,2]' });
		expect(receipt.json.Result).toEqual({
			State: { Code: 7, Desc: 'Некорректный чек' },
			ErrorSourceParam: 'MerchantReceipt',
		});
		expect(sb.getInvoice(receipt.orderId)).toBeUndefined();
	});

	test('limits count characters and the boundaries are accepted', async () => {
		/** @type {Array<Record<string, string>>} */
		const accepted = [
			{ OrderId: 'Ж'.repeat(50) }, // 100 UTF-8 bytes, 50 characters
			{ RecipientAmount: '1.00' },
			{ RecipientAmount: '9999999999.99' },
			{ Email: `${'e'.repeat(88)}@example.com` },
			{ ResultUrl: `https://x.example/${'p'.repeat(494)}` }, // 512 characters
			{ HoldMode: '0' },
			{ HoldMode: '1', ExpireDate: moscowIn(3_600_000), HoldTime: '0' },
			{ HoldMode: '1', ExpireDate: moscowIn(3_600_000), HoldTime: '119' },
			{ RecipientCurrency: 'RUR' },
			{ RecipientCurrency: 'USD' },
			{ RecipientCurrency: 'EUR' },
			{ MerchantReceipt: JSON.stringify({ inn: '7700000000', content: { type: 1 } }) },
		];
		for (const fields of accepted) {
			const r = await createInvoice(fields);
			expect([fields, r.json.Result.State.Code]).toEqual([fields, 0]);
		}
		expect(sb.getInvoice('Ж'.repeat(50))?.state).toBe('Created');
	});

	test('a second createInvoice with a used OrderId is refused (Code 5, OrderId); the first stays as it was', async () => {
		const first = await createInvoice({ OrderId: 'dup-1', RecipientAmount: '20.00' });
		const invoice = sb.getInvoice('dup-1');
		expect(invoice?.invoiceId).toBe(first.json.Result.InvoiceId);
		const second = await createInvoice({ OrderId: 'dup-1', RecipientAmount: '30.00' });
		expect(second.json.OperationState.Code).toBe(0);
		expect(second.json.Result).toEqual({
			State: { Code: 5, Desc: 'Счёт с таким номером покупки уже создан' },
			ErrorSourceParam: 'OrderId',
		});
		expect(sb.getInvoice('dup-1')).toBe(invoice);
		expect(invoice?.amount).toBe('20.00');
		// An order added as if created earlier counts too.
		sb.addInvoice({ orderId: 'dup-seeded' });
		expect((await createInvoice({ OrderId: 'dup-seeded' })).json.Result.ErrorSourceParam).toBe(
			'OrderId',
		);
	});
});

describe('payInvoice (the buyer) and capture of the hold', () => {
	test('HoldMode=1 → Held, then purchaseToPaid → Paid once; HoldMode=0 → Paid, no capture possible', async () => {
		const held = await createInvoice({
			OrderId: 'pay-hold-1',
			HoldMode: '1',
			ExpireDate: moscowIn(3_600_000),
			HoldTime: '24',
		});
		const invoice = sb.payInvoice(held.json.Result.InvoiceId, { userName: 'Пётр' });
		expect(invoice).toBe(sb.getInvoice('pay-hold-1'));
		expect(invoice.state).toBe('Held');
		expect(invoice.payer).toEqual({
			payMethod: 'BankCard',
			shortPan: '411111******1111',
			country: 'RU',
			bank: 'Sandbox Bank',
			ipAddress: '127.0.0.1',
			userName: 'Пётр',
		});
		expect((await historyOf(invoice.invoiceId))[0].State).toBe('Held');
		const captured = await capture({ OrderId: 'pay-hold-1' });
		expect(captured.json.Result).toMatchObject({ State: { Code: 0 }, InvoiceState: 'Paid' });
		expect(invoice.state).toBe('Paid');
		expect(sb.ledger().captures[invoice.invoiceId]).toBe(1);

		const direct = await createInvoice({ OrderId: 'pay-direct-1' });
		expect(sb.payInvoice('pay-direct-1').state).toBe('Paid'); // by OrderId too
		const again = await capture({ OrderId: 'pay-direct-1' });
		expect(again.json.Result).toEqual({
			State: { Code: 5, Desc: 'Средства по СКО уже зачислены' },
			ErrorSourceParam: 'OrderId',
		});
		expect(sb.ledger().captures[direct.json.Result.InvoiceId]).toBe(0);
	});

	test('an unpaid invoice cannot be captured (Code 6); payInvoice refuses what cannot be paid', async () => {
		const created = await createInvoice({ OrderId: 'pay-not-yet' });
		expect((await capture({ OrderId: 'pay-not-yet' })).json.Result.State.Code).toBe(6);
		expect(sb.getInvoice('pay-not-yet')?.state).toBe('Created');
		sb.payInvoice(created.json.Result.InvoiceId);
		expect(() => sb.payInvoice(created.json.Result.InvoiceId)).toThrow(/is Paid, not Created/);
		expect(() => sb.payInvoice('3999999999')).toThrow(TypeError);
		expect(() => sb.payInvoice(sb.addInvoice().invoiceId)).toThrow(/is Held, not Created/);
		const expired = sb.addInvoice({ state: 'Created', expireDate: moscowIn(-1000) });
		expect(() => sb.payInvoice(expired.invoiceId)).toThrow(/expired/);
		expect(expired.state).toBe('Created');
	});
});

describe('purchaseToRefund', () => {
	test('vector 4: the published Sign releases a held order-42', async () => {
		const sign = vector('ref-4-purchaseToRefund-sign');
		const hash = vector('own-purchaseToRefund-hash');
		expect(hash.fields).toEqual({ EshopId: '450000', OrderId: 'order-42' });
		const s = await startSandbox();
		try {
			const inv = s.addInvoice({ orderId: 'order-42' });
			const r = await post(
				s.url,
				REFUND,
				{ ...sign.fields, Hash: hash.digest },
				{ dispatcher: agent, sign: sign.digest },
			);
			expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
			expect(r.json.EshopId).toBe(450000);
			expect(r.json.Result).toEqual({
				State: { Code: 0, Desc: 'Успешно обработан' },
				InvoiceId: inv.invoiceId,
				OrderId: 'order-42',
				InvoiceState: 'Refund',
			});
			expect(inv.state).toBe('Refund');
			expect(s.ledger()).toMatchObject({
				captures: { [inv.invoiceId]: 0 },
				refunds: { [inv.invoiceId]: 1 },
			});
			expect(s.log[0]).toMatchObject({ signValid: true, hashValid: true, verdict: 'accepted' });
		} finally {
			await s.stop();
		}
	});

	test('held → released, created → cancelled, paid → refunded: all Refund; by InvoiceId with an empty OrderId segment', async () => {
		const held = sb.addInvoice();
		const created = sb.addInvoice({ state: 'Created' });
		const paid = sb.addInvoice();
		expect((await capture({ OrderId: paid.orderId })).json.Result.State.Code).toBe(0);
		for (const inv of [held, created, paid]) {
			const changedBefore = inv.changedAt;
			const r = await refund({ InvoiceId: inv.invoiceId });
			expect(r.json.Result).toEqual({
				State: { Code: 0, Desc: 'Успешно обработан' },
				InvoiceId: inv.invoiceId,
				OrderId: inv.orderId,
				InvoiceState: 'Refund',
			});
			expect(inv.state).toBe('Refund');
			expect(inv.changedAt).toBeGreaterThanOrEqual(changedBefore);
			expect(sb.ledger().refunds[inv.invoiceId]).toBe(1);
			expect((await historyOf(inv.invoiceId))[0].State).toBe('Refund');
		}
		expect([held.refundAmount, created.refundAmount, paid.refundAmount]).toEqual([
			held.amount,
			'0.00',
			paid.amount,
		]);
		expect(sb.ledger().captures[paid.invoiceId]).toBe(1); // the capture stays on record
		const refunds = sb.log.filter((e) => e.endpoint === REFUND);
		expect(refunds.map((e) => [e.signValid, e.hashValid, e.verdict])).toEqual(
			Array(3).fill([true, true, 'accepted']),
		);
	});

	test('a second refund is refused (Code 5) and changes nothing; a capture after it gets Code 8', async () => {
		const inv = sb.addInvoice();
		expect((await refund({ OrderId: inv.orderId })).json.Result.State.Code).toBe(0);
		const changedAt = inv.changedAt;
		const again = await refund({ OrderId: inv.orderId });
		expect(again.json.OperationState.Code).toBe(0);
		expect(again.json.Result).toEqual({
			State: { Code: 5, Desc: 'По СКО уже выполнен возврат' },
			ErrorSourceParam: 'OrderId',
		});
		expect(last().verdict).toBe('refused');
		expect(sb.ledger().refunds[inv.invoiceId]).toBe(1);
		expect(inv.changedAt).toBe(changedAt);
		const byId = await refund({ InvoiceId: inv.invoiceId });
		expect(byId.json.Result.ErrorSourceParam).toBe('InvoiceId');
		const captureAfter = await capture({ OrderId: inv.orderId });
		expect(captureAfter.json.Result).toEqual({
			State: { Code: 8, Desc: 'СКО отменён, средства возвращены плательщику' },
			ErrorSourceParam: 'OrderId',
		});
		expect(inv.state).toBe('Refund');
		expect(sb.ledger().captures[inv.invoiceId]).toBe(0);
	});

	test('refusals: capture recipe as Sign, wrong Hash, bad PurchaseHash, unknown invoice, other shop, bad receipt', async () => {
		const inv = sb.addInvoice();
		const toPaidSign = await refund(
			{ OrderId: inv.orderId },
			{ sign: captureSign('450000', inv.orderId) },
		);
		expect(toPaidSign.json.Result).toEqual({
			State: { Code: 2, Desc: 'Неверная подпись запроса (Sign)' },
			ErrorSourceParam: 'Sign',
		});
		const toPaidHash = await refund(
			{ OrderId: inv.orderId },
			{ hash: captureHash('450000', inv.orderId) },
		);
		expect(toPaidHash.json.Result.ErrorSourceParam).toBe('Hash');
		expect(
			(await refund({ OrderId: inv.orderId }, { hash: null })).json.Result.ErrorSourceParam,
		).toBe('Hash');
		const badPurchaseHash = await refund({ OrderId: inv.orderId, PurchaseHash: '0'.repeat(32) });
		expect(badPurchaseHash.json.Result.ErrorSourceParam).toBe('Hash');
		expect((await refund({ OrderId: 'no-such-order' })).json.Result).toEqual({
			State: { Code: 4, Desc: 'СКО не найден' },
			ErrorSourceParam: 'OrderId',
		});
		expect((await refund({ InvoiceId: '3999999998' })).json.Result.State.Code).toBe(4);
		expect((await refund({ InvoiceId: '12345' })).json.Result.State.Code).toBe(3);
		expect((await refund({})).json.Result.State.Code).toBe(3);
		const otherShop = await post(
			sb.url,
			REFUND,
			{ EshopId: '450001', OrderId: inv.orderId, Hash: refundHash('450001', inv.orderId) },
			{ dispatcher: agent, sign: refundSign('450001', inv.orderId) },
		);
		expect(otherShop.json.Result.ErrorSourceParam).toBe('EshopId');
		const badReceipt = await refund({ OrderId: inv.orderId, MerchantReceipt: 'not json' });
		expect(badReceipt.json.Result.State.Code).toBe(7);
		expect(inv.state).toBe('Held');
		expect(sb.ledger().refunds[inv.invoiceId]).toBe(0);
		const withPurchaseHash = await refund({
			OrderId: inv.orderId,
			PurchaseHash: refundHash('450000', inv.orderId),
		});
		expect(withPurchaseHash.json.Result.State.Code).toBe(0);
	});
});

describe('faults on the new merchant endpoints', () => {
	test('http503 on createInvoice: nothing created; the retry creates it', async () => {
		sb.injectFaults({ kind: 'http503', endpoint: CREATE_INVOICE });
		const r = await createInvoice({ OrderId: 'fault-ci-1' });
		expect(r.status).toBe(503);
		expect(sb.getInvoice('fault-ci-1')).toBeUndefined();
		expect(last()).toMatchObject({ fault: 'http503', signValid: true, hashValid: true });
		expect((await createInvoice({ OrderId: 'fault-ci-1' })).json.Result.State.Code).toBe(0);
	});

	test('applyThenDrop on createInvoice: created, no answer; the blind retry meets the used OrderId', async () => {
		sb.injectFaults({ kind: 'applyThenDrop', endpoint: CREATE_INVOICE });
		await expect(createInvoice({ OrderId: 'fault-ci-2' })).rejects.toThrow();
		expect(sb.getInvoice('fault-ci-2')?.state).toBe('Created');
		const retry = await createInvoice({ OrderId: 'fault-ci-2' });
		expect(retry.json.Result.ErrorSourceParam).toBe('OrderId');
	});

	test('reset on purchaseToRefund changes nothing; truncated refunds and cuts the answer', async () => {
		const inv = sb.addInvoice();
		sb.injectFaults({ kind: 'reset', endpoint: REFUND });
		await expect(refund({ OrderId: inv.orderId })).rejects.toThrow();
		expect(inv.state).toBe('Held');
		sb.injectFaults({ kind: 'truncated', endpoint: REFUND });
		await expect(refund({ OrderId: inv.orderId })).rejects.toThrow();
		expect(inv.state).toBe('Refund');
		expect(sb.ledger().refunds[inv.invoiceId]).toBe(1);
		expect(sb.log.map((e) => [e.endpoint, e.fault, e.verdict])).toEqual([
			[REFUND, 'reset', 'refused'],
			[REFUND, 'truncated', 'accepted'],
		]);
	});
});
