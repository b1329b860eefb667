// @ts-check
/**
 * Result URL notifications of the sandbox (docs/intellectmoney-api.md §5): what a local receiver gets
 * on each invoice state change, the hash checked with the sandbox's recipe (proved by recipes.test.mjs)
 * and the published example 8 (test/vectors/), retries when the receiver does not say OK,
 * waitForNotification, and each forged kind of sendNotification.
 */
import { describe, test, expect, afterAll, afterEach } from '@jest/globals';
import http from 'node:http';
import { Agent } from 'undici';
import { BUYER_PAYS, NOTIFICATION_FORGES, startSandbox } from '../../dev/sandbox/index.mjs';
import {
	CAPTURE,
	CREATE_INVOICE,
	REFUND,
	captureHash,
	captureSign,
	createInvoiceHash,
	createInvoiceSign,
	decodeForm,
	isMoscowNow,
	moscowIn,
	notificationHash,
	post,
	refundHash,
	refundSign,
	startReceiver,
} from './client.mjs';
import { vector } from '../vectors/vectors.mjs';

/** @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox */
/** @typedef {import('./client.mjs').Receiver} Receiver */

const agent = new Agent();
/** Sandboxes and receivers a test started, stopped after it. */
/** @type {Array<{ stop?: () => Promise<void>, close?: () => Promise<void> }>} */
let started = [];

afterEach(async () => {
	const toStop = started.reverse();
	started = [];
	for (const thing of toStop) await (thing.stop ?? thing.close)?.();
});

afterAll(async () => {
	await agent.close();
});

/** @param {import('../../dev/sandbox/index.mjs').SandboxOptions} [options] */
async function sandbox(options = {}) {
	const s = await startSandbox({ notificationRetryDelayMs: 20, ...options });
	started.push(s);
	return s;
}

async function receiver() {
	const r = await startReceiver();
	started.push(r);
	return r;
}

/** The fields every notification carries, in this order (docs/intellectmoney-api.md §5). */
const NOTIFICATION_FIELDS = [
	'eshopId',
	'paymentId',
	'orderId',
	'eshopAccount',
	'serviceName',
	'recipientAmount',
	'recipientOriginalAmount',
	'refundAmount',
	'recipientCurrency',
	'paymentStatus',
	'userName',
	'userEmail',
	'paymentData',
	'payMethod',
	'shortPan',
	'country',
	'bank',
	'ipAddress',
	'secretKey',
	'hash',
];

/**
 * createInvoice through the API, correctly signed. @param {Sandbox} s @param {Record<string, string>} fields
 */
async function createInvoice(s, fields) {
	/** @type {Record<string, string>} */
	const body = { EshopId: '450000', RecipientAmount: '10.00', RecipientCurrency: 'RUB', ...fields };
	body.Hash = createInvoiceHash(body);
	const r = await post(s.url, CREATE_INVOICE, body, {
		dispatcher: agent,
		sign: createInvoiceSign(body),
	});
	expect(r.json.Result.State.Code).toBe(0);
	return /** @type {string} */ (r.json.Result.InvoiceId);
}

/** @param {Sandbox} s @param {string} orderId */
async function capture(s, orderId) {
	return post(
		s.url,
		CAPTURE,
		{ EshopId: '450000', OrderId: orderId, Hash: captureHash('450000', orderId) },
		{ dispatcher: agent, sign: captureSign('450000', orderId) },
	);
}

/** @param {Sandbox} s @param {string} orderId */
async function refund(s, orderId) {
	return post(
		s.url,
		REFUND,
		{ EshopId: '450000', OrderId: orderId, Hash: refundHash('450000', orderId) },
		{ dispatcher: agent, sign: refundSign('450000', orderId) },
	);
}

describe('delivery on invoice state changes', () => {
	test('hold lifecycle: created (3), held (6), captured (5); form, camelCase, hash verifies, Moscow date', async () => {
		const s = await sandbox();
		const r = await receiver();
		const invoiceId = await createInvoice(s, {
			OrderId: 'notify-1',
			ServiceName: 'Заказ №1',
			RecipientAmount: '1500.00',
			UserName: 'Иван',
			Email: 'ivan@example.com',
			ResultUrl: r.url,
			HoldMode: '1',
			ExpireDate: moscowIn(3_600_000),
			HoldTime: '24',
		});
		await s.waitForNotification((n) => n.fields.paymentStatus === '3' && n.ok);
		s.payInvoice(invoiceId, { userEmail: 'payer@example.com', shortPan: '220000******0004' });
		await s.waitForNotification((n) => n.fields.paymentStatus === '6' && n.ok);
		expect((await capture(s, 'notify-1')).json.Result.State.Code).toBe(0);
		await s.waitForNotification((n) => n.fields.paymentStatus === '5' && n.ok);

		expect(r.received.map((n) => n.fields.paymentStatus)).toEqual(['3', '6', '5']);
		for (const n of r.received) {
			expect(n.headers['content-type']).toBe('application/x-www-form-urlencoded');
			expect(Object.keys(n.fields)).toEqual(NOTIFICATION_FIELDS);
			expect(n.fields.hash).toBe(notificationHash(n.fields));
			expect(n.fields.hash).toMatch(/^[0-9a-f]{32}$/);
			expect(isMoscowNow(n.fields.paymentData)).toBe(true);
			expect(n.fields).toMatchObject({
				eshopId: '450000',
				paymentId: invoiceId,
				orderId: 'notify-1',
				eshopAccount: '1234567',
				serviceName: 'Заказ №1',
				recipientAmount: '1500.00',
				recipientOriginalAmount: '1500.00',
				refundAmount: '0.00',
				recipientCurrency: 'RUB',
				userName: 'Иван',
				secretKey: '',
			});
		}
		const [created, held] = r.received;
		expect(created.fields).toMatchObject({
			userEmail: 'ivan@example.com',
			payMethod: '',
			shortPan: '',
			ipAddress: '',
		});
		expect(held.fields).toMatchObject({
			userEmail: 'payer@example.com',
			payMethod: 'BankCard',
			shortPan: '220000******0004',
			country: 'RU',
			bank: 'Sandbox Bank',
			ipAddress: '127.0.0.1',
		});
		// The Cyrillic travels as UTF-8 percent-encoding.
		expect(created.raw.toString('latin1')).toContain('userName=%D0%98%D0%B2%D0%B0%D0%BD');
		expect(
			s.notifications.map((n) => [n.source, n.attempt, n.status, n.responseBody, n.ok]),
		).toEqual(Array(3).fill(['delivery', 1, 200, 'OK', true]));
		expect(s.notifications[0]).toMatchObject({
			url: r.url,
			invoiceId,
			forge: null,
			responseContentType: 'text/plain; charset=utf-8',
			error: null,
			body: created.raw.toString('latin1'),
		});
	});

	test('releasing a hold (4, refundAmount = amount), cancelling (4, 0.00), refunding a paid invoice (8)', async () => {
		const s = await sandbox();
		const r = await receiver();
		const cases = [
			[
				'notify-release',
				{ HoldMode: '1', ExpireDate: moscowIn(3_600_000), HoldTime: '24' },
				true,
				'4',
				'25.00',
			],
			['notify-cancel', {}, false, '4', '0.00'],
			['notify-refund', {}, true, '8', '25.00'],
		];
		for (const [
			orderId,
			extra,
			pay,
			status,
			refundAmount,
		] of /** @type {Array<[string, Record<string, string>, boolean, string, string]>} */ (cases)) {
			const invoiceId = await createInvoice(s, {
				OrderId: orderId,
				RecipientAmount: '25.00',
				ResultUrl: r.url,
				...extra,
			});
			if (pay) s.payInvoice(invoiceId);
			expect((await refund(s, orderId)).json.Result.InvoiceState).toBe('Refund');
			const n = await s.waitForNotification(
				(e) => e.fields.orderId === orderId && e.fields.paymentStatus === status,
			);
			expect([orderId, n.fields.refundAmount, n.fields.hash]).toEqual([
				orderId,
				refundAmount,
				notificationHash(n.fields),
			]);
		}
		await s.flushNotifications();
		expect(r.received.map((n) => `${n.fields.orderId}:${n.fields.paymentStatus}`)).toEqual([
			'notify-release:3',
			'notify-release:6',
			'notify-release:4',
			'notify-cancel:3',
			'notify-cancel:4',
			'notify-refund:3',
			'notify-refund:5',
			'notify-refund:8',
		]);
	});

	test("the shop's resultUrl serves invoices without their own; an invoice's ResultUrl wins; none → nothing sent", async () => {
		const shopReceiver = await receiver();
		const ownReceiver = await receiver();
		const s = await sandbox({ shop: { resultUrl: shopReceiver.url } });
		const seeded = s.addInvoice({ orderId: 'shop-url-1' }); // as if created earlier: no notification
		expect((await capture(s, 'shop-url-1')).json.Result.State.Code).toBe(0);
		await createInvoice(s, { OrderId: 'own-url-1', ResultUrl: ownReceiver.url });
		await s.flushNotifications();
		expect(shopReceiver.received.map((n) => [n.fields.paymentId, n.fields.paymentStatus])).toEqual([
			[seeded.invoiceId, '5'],
		]);
		expect(ownReceiver.received.map((n) => [n.fields.orderId, n.fields.paymentStatus])).toEqual([
			['own-url-1', '3'],
		]);

		const quiet = await sandbox();
		const inv = quiet.addInvoice({ state: 'Created' });
		quiet.payInvoice(inv.invoiceId);
		await createInvoice(quiet, { OrderId: 'quiet-1' });
		await quiet.flushNotifications();
		expect(quiet.notifications).toEqual([]);
	});
});

describe('the buyer pays through the running sandbox (POST /sandbox/pay)', () => {
	test('by Order ID: the invoice is held, the notification goes out; a second payment is refused', async () => {
		const shopReceiver = await receiver();
		const s = await sandbox({ shop: { resultUrl: shopReceiver.url } });
		const inv = s.addInvoice({ orderId: 'buyer-1', state: 'Created', holdMode: true });
		const pay = async () =>
			await fetch(`${s.url}${BUYER_PAYS}`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'orderId=buyer-1',
			});
		const first = await pay();
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({
			invoiceId: inv.invoiceId,
			orderId: 'buyer-1',
			state: 'Held',
		});
		await s.flushNotifications();
		expect(shopReceiver.received.map((n) => [n.fields.orderId, n.fields.paymentStatus])).toEqual([
			['buyer-1', '6'],
		]);
		const second = await pay();
		expect(second.status).toBe(409);
		expect(/** @type {any} */ (await second.json()).error).toMatch(/is Held, not Created/);
		// Not part of IntellectMoney's API: the request log stays for the API's requests.
		expect(s.log).toEqual([]);
	});
});

describe('retries', () => {
	test('a receiver that does not answer 200 "OK" gets the notification again: 500, then "ok", then OK', async () => {
		const s = await sandbox();
		const r = await receiver();
		const answers = [
			{ status: 500, body: 'OK' },
			{ status: 200, body: 'ok' },
			{ status: 200, body: 'OK' },
		];
		r.answerWith((_n, i) => answers[i]);
		await createInvoice(s, { OrderId: 'retry-1', ResultUrl: r.url });
		await s.flushNotifications();
		expect(s.notifications.map((n) => [n.attempt, n.status, n.responseBody, n.ok])).toEqual([
			[1, 500, 'OK', false],
			[2, 200, 'ok', false],
			[3, 200, 'OK', true],
		]);
		// The same notification each time, byte for byte.
		expect(new Set(r.received.map((n) => n.raw.toString('latin1'))).size).toBe(1);
	});

	test('default policy: 2 retries, then it gives up ("OK\\n" is not "OK"); notificationRetries 0 = one attempt', async () => {
		const s = await sandbox();
		const r = await receiver();
		r.answerWith(() => ({ status: 200, body: 'OK\n' }));
		await createInvoice(s, { OrderId: 'retry-2', ResultUrl: r.url });
		await s.flushNotifications();
		expect(s.notifications.map((n) => [n.attempt, n.ok])).toEqual([
			[1, false],
			[2, false],
			[3, false],
		]);
		expect(r.received).toHaveLength(3);

		const once = await sandbox({ notificationRetries: 0 });
		await createInvoice(once, { OrderId: 'retry-3', ResultUrl: r.url });
		await once.flushNotifications();
		expect(once.notifications).toHaveLength(1);
		await expect(startSandbox({ notificationRetries: -1 })).rejects.toThrow(TypeError);
	});

	test('no receiver listening: each attempt logged with the connection error; the retry delay is kept', async () => {
		const r = await receiver();
		const closedUrl = r.url;
		await r.close();
		const s = await sandbox({ notificationRetryDelayMs: 60 });
		const startedAt = Date.now();
		await createInvoice(s, { OrderId: 'retry-4', ResultUrl: closedUrl });
		await s.flushNotifications();
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(110);
		expect(s.notifications).toHaveLength(3);
		for (const n of s.notifications) {
			expect(n).toMatchObject({ status: null, ok: false, responseBody: '' });
			expect(n.error).toMatch(/ECONNREFUSED/);
		}
	});

	test('a receiver that never answers is given notificationTimeoutMs, then retried', async () => {
		const s = await sandbox({ notificationTimeoutMs: 100, notificationRetries: 1 });
		const r = await receiver();
		r.answerWith(() => ({ status: 200, body: 'OK' }));
		const silent = http.createServer(() => {
			// never answers
		});
		await new Promise((resolve) => silent.listen(0, '127.0.0.1', () => resolve(undefined)));
		started.push({
			close: () =>
				new Promise((resolve) => {
					silent.closeAllConnections();
					silent.close(() => resolve());
				}),
		});
		const address = /** @type {import('node:net').AddressInfo} */ (silent.address());
		await createInvoice(s, { OrderId: 'retry-5', ResultUrl: `http://127.0.0.1:${address.port}/` });
		await s.flushNotifications();
		expect(s.notifications.map((n) => [n.attempt, n.error])).toEqual([
			[1, 'no answer within 100 ms'],
			[2, 'no answer within 100 ms'],
		]);
	});
});

describe('notificationFor and deliverNotification (load tests)', () => {
	test("the invoice's signed notification, sent nowhere; delivered as given, retried, several at once", async () => {
		const s = await sandbox({ notificationRetries: 1 });
		const r = await receiver();
		const inv = s.addInvoice({ amount: '120.00', state: 'Held' });
		const fields = s.notificationFor(inv.orderId);
		expect(fields).toMatchObject({
			paymentId: inv.invoiceId,
			orderId: inv.orderId,
			paymentStatus: '6',
		});
		expect(fields.hash).toBe(notificationHash(fields));
		expect(s.notificationFor(inv.invoiceId, 5).paymentStatus).toBe('5');
		expect(() => s.notificationFor('no-such-order')).toThrow(TypeError);
		expect(s.notifications).toHaveLength(0);

		// The receiver refuses every first attempt: each delivery is retried once, then taken.
		/** @type {Map<string, number>} */
		const seen = new Map();
		r.answerWith((n) => {
			const times = (seen.get(n.fields.orderId) ?? 0) + 1;
			seen.set(n.fields.orderId, times);
			return times === 1 ? { status: 500, body: 'busy' } : { status: 200, body: 'OK' };
		});
		const other = s.addInvoice();
		const [first, second] = await Promise.all([
			s.deliverNotification(r.url, fields),
			s.deliverNotification(r.url, { ...s.notificationFor(other.orderId), hash: 'given' }),
		]);
		expect([first?.attempt, first?.ok, second?.attempt, second?.ok]).toEqual([2, true, 2, true]);
		// Both first attempts went out before either retry: they ran at the same time.
		expect(s.notifications.map((n) => n.attempt)).toEqual([1, 1, 2, 2]);
		expect(s.notifications.every((n) => n.source === 'delivery')).toBe(true);
		expect(s.notifications.filter((n) => n.fields.orderId === inv.orderId)[0].invoiceId).toBe(
			inv.invoiceId,
		);
		expect(r.received.filter((n) => n.fields.orderId === inv.orderId).map((n) => n.fields)).toEqual(
			[fields, fields],
		);
		expect(r.received.find((n) => n.fields.orderId === other.orderId)?.fields.hash).toBe('given');
	});
});

describe('waitForNotification', () => {
	test('finds one already logged, waits for one to come, rejects after its timeout and on stop()', async () => {
		const s = await sandbox();
		const r = await receiver();
		const invoiceId = await createInvoice(s, { OrderId: 'wait-1', ResultUrl: r.url });
		const coming = s.waitForNotification((n) => n.fields.paymentStatus === '5');
		await s.waitForNotification((n) => n.fields.paymentStatus === '3');
		const already = await s.waitForNotification((n) => n.fields.paymentStatus === '3');
		expect(already.fields.paymentId).toBe(invoiceId);
		s.payInvoice(invoiceId);
		expect((await coming).fields.paymentId).toBe(invoiceId);

		await expect(s.waitForNotification((n) => n.fields.paymentStatus === '8', 50)).rejects.toThrow(
			/no matching notification within 50 ms; seen: .*status 3 → 200/,
		);
		const pending = s.waitForNotification(() => false, 10_000);
		await s.stop();
		await expect(pending).rejects.toThrow('sandbox stopped');
		await expect(s.waitForNotification(() => false)).rejects.toThrow('sandbox stopped');
	});
});

describe('sendNotification (tests of a receiver)', () => {
	const example8 = vector('ref-8-notification-hash');
	/** Example 8's hashed fields, with the unsigned ones IntellectMoney adds. */
	const VECTOR_8 = {
		...example8.fields,
		paymentId: '3000000042',
		recipientOriginalAmount: '10.00',
		refundAmount: '0.00',
		payMethod: 'BankCard',
		shortPan: '',
		country: '',
		bank: '',
		ipAddress: '',
		secretKey: '',
	};
	const HASH_8 = example8.digest;

	test('vector 8: given fields without hash get the published hash; the answer comes back', async () => {
		const s = await sandbox();
		const r = await receiver();
		r.answerWith(() => ({ status: 200, body: 'OK' }));
		const answer = await s.sendNotification(r.url, VECTOR_8);
		expect(answer).toMatchObject({ status: 200, body: 'OK' });
		expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(r.received[0].fields).toEqual({ ...VECTOR_8, hash: HASH_8 });
		expect(s.notifications[0]).toMatchObject({
			source: 'manual',
			attempt: 1,
			forge: null,
			invoiceId: null,
			ok: true,
		});
		// A hash given is sent as given.
		await s.sendNotification(r.url, { ...VECTOR_8, hash: 'given' });
		expect(r.received[1].fields.hash).toBe('given');
	});

	test('built from an invoice and a status (7 partially paid here), never retried', async () => {
		const s = await sandbox();
		const r = await receiver();
		r.answerWith(() => ({ status: 403, body: 'Bad hash' }));
		const inv = s.addInvoice({ amount: '99.90', serviceName: 'Частичная', email: 'a@b.example' });
		const answer = await s.sendNotification(r.url, { invoiceId: inv.invoiceId, paymentStatus: 7 });
		expect(answer).toMatchObject({ status: 403, body: 'Bad hash' });
		expect(r.received).toHaveLength(1);
		expect(r.received[0].fields).toMatchObject({
			paymentId: inv.invoiceId,
			orderId: inv.orderId,
			serviceName: 'Частичная',
			recipientAmount: '99.90',
			paymentStatus: '7',
			userEmail: 'a@b.example',
		});
		expect(r.received[0].fields.hash).toBe(notificationHash(r.received[0].fields));
		// Without a status: the one of the invoice's state (Held → 6).
		await s.sendNotification(r.url, { invoiceId: inv.orderId });
		expect(r.received[1].fields.paymentStatus).toBe('6');
		await s.flushNotifications();
		expect(s.notifications).toHaveLength(2);
		await expect(s.sendNotification(r.url, { invoiceId: '3999999999' })).rejects.toThrow(TypeError);
	});

	test("forge 'hash': the hash is the Sign key's, not the shop's", async () => {
		const s = await sandbox();
		const r = await receiver();
		await s.sendNotification(r.url, VECTOR_8, { forge: 'hash' });
		const { fields } = r.received[0];
		expect(fields.hash).not.toBe(HASH_8);
		expect(fields.hash).toBe(notificationHash(fields, 'SIGNSECRET'));
		expect(s.notifications[0].forge).toBe('hash');
	});

	test("forge 'otherShop': another eshopId, correctly hashed with the same key", async () => {
		const s = await sandbox();
		const r = await receiver();
		await s.sendNotification(r.url, VECTOR_8, { forge: 'otherShop' });
		await s.sendNotification(r.url, VECTOR_8, { forge: 'otherShop', eshopId: '999999' });
		expect(r.received.map((n) => n.fields.eshopId)).toEqual(['450001', '999999']);
		for (const n of r.received) expect(n.fields.hash).toBe(notificationHash(n.fields));
	});

	test("forge 'missingField': drops the hash by default, or the named field after hashing", async () => {
		const s = await sandbox();
		const r = await receiver();
		await s.sendNotification(r.url, VECTOR_8, { forge: 'missingField' });
		expect(r.received[0].fields).toEqual(VECTOR_8);
		await s.sendNotification(r.url, VECTOR_8, { forge: 'missingField', field: 'paymentStatus' });
		const second = r.received[1].fields;
		expect(second).not.toHaveProperty('paymentStatus');
		expect(second.hash).toBe(HASH_8); // hashed with the status in it
		expect(second.hash).not.toBe(notificationHash(second));
		await expect(
			s.sendNotification(r.url, VECTOR_8, { forge: 'missingField', field: 'nope' }),
		).rejects.toThrow(TypeError);
	});

	test("forge 'cp1251': right hash, Cyrillic percent-encoded in windows-1251 bytes", async () => {
		const s = await sandbox();
		const r = await receiver();
		await s.sendNotification(r.url, VECTOR_8, { forge: 'cp1251' });
		const { raw, fields } = r.received[0];
		expect(raw.toString('latin1')).toContain('userName=%C8%E2%E0%ED'); // И в а н in windows-1251
		// Read as windows-1251, every value is right and the (UTF-8) hash verifies…
		const asCp1251 = decodeForm(raw, 'windows-1251');
		expect(asCp1251).toEqual({ ...VECTOR_8, hash: HASH_8 });
		// …read as UTF-8, as IntellectMoney's encoding says, the name is garbage and the hash fails.
		expect(fields.userName).not.toBe('Иван');
		expect(fields.userName).toContain('\ufffd');
		expect(notificationHash(fields)).not.toBe(fields.hash);
	});

	test("forge 'replay': the previous notification again, byte for byte, whatever is given", async () => {
		const s = await sandbox();
		const r = await receiver();
		await expect(s.sendNotification(r.url, undefined, { forge: 'replay' })).rejects.toThrow(
			/no notification to replay/,
		);
		const invoiceId = await createInvoice(s, { OrderId: 'replay-1', ResultUrl: r.url });
		await s.flushNotifications();
		await s.sendNotification(r.url, { invoiceId, paymentStatus: 5 }, { forge: 'replay' });
		expect(r.received).toHaveLength(2);
		expect(r.received[1].raw.equals(r.received[0].raw)).toBe(true);
		expect(r.received[1].fields.paymentStatus).toBe('3');
		expect(s.notifications[1]).toMatchObject({
			source: 'manual',
			forge: 'replay',
			invoiceId: null,
		});
	});

	test('NOTIFICATION_FORGES lists the five kinds; an unknown one and a non-loopback URL are refused', async () => {
		expect(NOTIFICATION_FORGES).toEqual(['hash', 'otherShop', 'missingField', 'cp1251', 'replay']);
		const s = await sandbox();
		const r = await receiver();
		await expect(
			s.sendNotification(r.url, VECTOR_8, /** @type {any} */ ({ forge: 'utf16' })),
		).rejects.toThrow(TypeError);
		await expect(s.sendNotification('https://example.com/im/result', VECTOR_8)).rejects.toThrow(
			'not posted: example.com is not a loopback host',
		);
		expect(r.received).toHaveLength(0);
		expect(s.notifications.map((n) => [n.url, n.status])).toEqual([
			['https://example.com/im/result', null],
		]);
	});
});
