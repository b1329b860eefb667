// @ts-check
/**
 * Confirm Invoice ID: the trigger asks IntellectMoney (the bundled sandbox, or a hostile server that
 * answers what IntellectMoney would not) whether the unhashed `paymentId` is this shop's invoice for
 * the hashed Order ID. Confirmed → `invoiceId` in the item; another order or shop → 403, nothing
 * started, nothing remembered; a read that cannot be done → 503 (IntellectMoney sends it again),
 * nothing remembered. No user token and no byte of an answer in any answer, item or log line.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:http';

import { credentialFor, startSandbox } from '../../dev/sandbox/index.mjs';
import { formBody, notificationFields, signed } from './support/notifications.mjs';
import { harnessForThisFile, OK_ANSWER as OK } from './support/webhook-harness.mjs';

const harness = harnessForThisFile();
/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;

const TOKEN_ENDPOINT = 'personal/user/getUserToken';
const LIST_ENDPOINT = 'personal/payment/getInvoicesHistory';

/** A held notification for `orderId` naming `paymentId` as its invoice. @param {string} orderId @param {string} [paymentId] */
const heldNotification = (orderId, paymentId) =>
	signed(
		notificationFields({
			orderId,
			paymentStatus: '6',
			...(paymentId === undefined ? {} : { paymentId }),
		}),
	);

/** The sandbox's Personal API requests so far, as [endpoint, signValid, InvoiceId]. */
const personalRequests = () =>
	sandbox.log
		.filter((entry) => entry.endpoint.startsWith('personal/'))
		.map((entry) => [entry.endpoint, entry.signValid, entry.fields.InvoiceId ?? null]);

/** Every user token the sandbox issued in this file (its log is cleared before each test). */
const issuedTokens = new Set();

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox?.stop();
});

afterEach(() => {
	for (const entry of sandbox.log) {
		const token = /** @type {any} */ (entry.response).Result?.UserToken;
		if (entry.endpoint === TOKEN_ENDPOINT && typeof token === 'string') issuedTokens.add(token);
	}
});

beforeEach(() => {
	harness.setParameters({ events: ['held'], options: { confirmInvoiceId: true } });
	harness.setCredential(credentialFor(sandbox));
	harness.resetStaticData();
	harness.executions.length = 0;
	sandbox.clearLog();
});

describe('confirmed', () => {
	test('the invoice is this shop’s and this order’s: invoiceId in the item, one execution, two signed reads', async () => {
		const invoice = sandbox.addInvoice({ orderId: 'order-c1' });
		const answer = await harness.post(formBody(heldNotification('order-c1', invoice.invoiceId)));
		expect(answer).toEqual(OK);
		expect(harness.executions.map((e) => e.items[0])).toEqual([
			expect.objectContaining({
				orderId: 'order-c1',
				invoiceId: invoice.invoiceId,
				unverified: expect.objectContaining({ invoiceId: invoice.invoiceId }),
			}),
		]);
		expect(personalRequests()).toEqual([
			[TOKEN_ENDPOINT, true, null],
			[LIST_ENDPOINT, true, invoice.invoiceId],
		]);
		expect(sandbox.log.find((e) => e.endpoint === LIST_ENDPOINT)?.fields.EshopId).toBe('450000');
	});

	test('activation succeeds with Login and Password in the credential', async () => {
		await expect(harness.activate()).resolves.toBe(true);
	});

	test('two deliveries at once while the first is being confirmed: one execution', async () => {
		const invoice = sandbox.addInvoice({ orderId: 'order-c9' });
		sandbox.injectFaults({ endpoint: LIST_ENDPOINT, kind: 'latency', latencyMs: 300 });
		const body = formBody(heldNotification('order-c9', invoice.invoiceId));
		expect(await harness.postAtOnce(body, 2)).toEqual([OK, OK]);
		expect(harness.executions).toHaveLength(1);
	});
});

describe('a number that is not this order’s: 403, nothing started, nothing remembered', () => {
	test('the invoice of another order: refused; the genuine notification (same hash) still passes', async () => {
		const genuine = sandbox.addInvoice({ orderId: 'order-c2' });
		const other = sandbox.addInvoice({ orderId: 'order-c3' });
		const tampered = await harness.post(formBody(heldNotification('order-c2', other.invoiceId)));
		expect(tampered).toMatchObject({ status: 403, body: expect.stringMatching(/another order/) });
		expect(harness.executions).toHaveLength(0);
		expect(harness.staticData()).toEqual({});

		expect(await harness.post(formBody(heldNotification('order-c2', genuine.invoiceId)))).toEqual(
			OK,
		);
		expect(harness.executions.map((e) => e.items[0].invoiceId)).toEqual([genuine.invoiceId]);
	});

	test.each([['abc'], ['3000001042::x'], ['']])(
		'a paymentId that is no invoice number (%j): refused before anything is asked',
		async (paymentId) => {
			const answer = await harness.post(formBody(heldNotification('order-c4', paymentId)));
			expect(answer).toMatchObject({
				status: 403,
				body: expect.stringMatching(/not an invoice number/),
			});
			expect(personalRequests()).toEqual([]);
			expect(harness.executions).toHaveLength(0);
		},
	);
});

describe('a read that cannot be done now: 503 (IntellectMoney sends it again), nothing remembered', () => {
	test('an invoice IntellectMoney does not list (yet)', async () => {
		const answer = await harness.post(formBody(heldNotification('order-c5', '3999999999')));
		expect(answer).toMatchObject({
			status: 503,
			body: expect.stringMatching(/could not be confirmed now .*send it again later$/),
		});
		expect(harness.executions).toHaveLength(0);
		expect(harness.staticData()).toEqual({});
	});

	test.each([
		['HTTP 500 on the invoice list', LIST_ENDPOINT, 'http500'],
		['a reset on the invoice list', LIST_ENDPOINT, 'reset'],
		['an HTML page for the user token', TOKEN_ENDPOINT, 'html'],
	])('%s: 503, then the repeat passes', async (_case, endpoint, kind) => {
		const invoice = sandbox.addInvoice();
		sandbox.injectFaults({ endpoint, kind: /** @type {any} */ (kind) });
		const body = formBody(heldNotification(invoice.orderId, invoice.invoiceId));
		expect((await harness.post(body)).status).toBe(503);
		expect(harness.executions).toHaveLength(0);
		expect(await harness.post(body)).toEqual(OK);
		expect(harness.executions).toHaveLength(1);
	});

	test('a wrong password: IntellectMoney issues no token', async () => {
		harness.setCredential(credentialFor(sandbox, { password: 'WRONG-PASSWORD-7' }));
		const invoice = sandbox.addInvoice();
		const answer = await harness.post(
			formBody(heldNotification(invoice.orderId, invoice.invoiceId)),
		);
		expect(answer).toMatchObject({ status: 503, body: expect.stringMatching(/no user token/) });
		expect(harness.executions).toHaveLength(0);
	});

	test('Login and Password emptied after activation: 503, nothing asked', async () => {
		harness.setCredential(credentialFor(sandbox, { login: '', password: '' }));
		const invoice = sandbox.addInvoice();
		const answer = await harness.post(
			formBody(heldNotification(invoice.orderId, invoice.invoiceId)),
		);
		expect(answer).toMatchObject({
			status: 503,
			body: expect.stringMatching(/Login and Password/),
		});
		expect(personalRequests()).toEqual([]);
	});
});

describe('a server that lists what IntellectMoney would not', () => {
	/** @type {import('node:http').Server} */
	let hostile;
	/** @type {Record<string, unknown>} what the invoice list names */
	let listed = {};
	const hostileToken = 'HOSTILE-USER-TOKEN-5e1f';
	const MARKER = 'HOSTILE-ANSWER-TEXT-91c4';

	beforeAll(async () => {
		hostile = createServer((req, res) => {
			const result = req.url?.includes('getUserToken')
				? { State: { Code: 0, Desc: MARKER }, UserToken: hostileToken }
				: {
						State: { Code: 0, Desc: MARKER },
						InvoicesHistoryList: [{ ...listed, Comment: MARKER }],
					};
			res.setHeader('Content-Type', 'application/json');
			res.end(JSON.stringify({ OperationState: { Code: 0, Desc: 'ok' }, Result: result }));
		});
		await new Promise((resolve) => hostile.listen(0, '127.0.0.1', () => resolve(undefined)));
	});

	afterAll(async () => {
		await new Promise((resolve) => hostile.close(() => resolve(undefined)));
	});

	beforeEach(() => {
		const address = /** @type {import('node:net').AddressInfo} */ (hostile.address());
		harness.setCredential(credentialFor(sandbox, { baseUrl: `http://127.0.0.1:${address.port}/` }));
	});

	test('the invoice of another shop: 403, nothing started', async () => {
		listed = { Id: '3000007001', EShopId: 999999, PurchaseOrderId: 'order-h1', State: 'Held' };
		const answer = await harness.post(formBody(heldNotification('order-h1', '3000007001')));
		expect(answer).toMatchObject({ status: 403, body: expect.stringMatching(/another shop/) });
		expect(harness.executions).toHaveLength(0);
	});

	test('an invoice listed without its order: 503, never confirmed', async () => {
		listed = { Id: '3000007002', EShopId: 450000, State: 'Held' };
		const answer = await harness.post(formBody(heldNotification('order-h2', '3000007002')));
		expect(answer.status).toBe(503);
		expect(harness.executions).toHaveLength(0);
	});

	test('another invoice than the one asked for: 503', async () => {
		listed = { Id: '3000007999', EShopId: 450000, PurchaseOrderId: 'order-h3', State: 'Held' };
		const answer = await harness.post(formBody(heldNotification('order-h3', '3000007003')));
		expect(answer.status).toBe(503);
		expect(harness.executions).toHaveLength(0);
	});

	test('no token or answer byte reaches an answer, an item or a log line', () => {
		const seen = [...harness.seen, ...harness.logs].join('\n');
		expect(harness.logs.length).toBeGreaterThan(0);
		expect(seen).not.toContain(hostileToken);
		expect(seen).not.toContain(MARKER);
	});
});

describe('secrets', () => {
	test('no user token, password, key or hash in any answer, item or log line of this file', () => {
		const seen = [...harness.seen, ...harness.logs].join('\n');
		expect(issuedTokens.size).toBeGreaterThan(0);
		const { password, signSecretKey, bearerToken } = credentialFor(sandbox);
		for (const secret of [...issuedTokens, password, signSecretKey, bearerToken, 'SHOPSECRET'])
			expect(seen).not.toContain(secret);
		expect(seen).not.toMatch(/"hash"/);
	});
});

describe('IntellectMoney’s state as the witness of a held notification', () => {
	test.each([['Paid'], ['Refund']])(
		'the invoice is listed as %s (captured, or released/refunded): OK, nothing started, nothing recorded; Pass On Marked passes it stale',
		async (state) => {
			const orderId = `order-s-${state}`;
			const invoice = sandbox.addInvoice({ orderId, state: /** @type {any} */ (state) });
			const body = formBody(heldNotification(orderId, invoice.invoiceId));
			expect(await harness.post(body)).toEqual(OK);
			expect(harness.executions).toHaveLength(0);
			expect(harness.deduplicationEntries()).toEqual({});
			expect(harness.logs.join('\n')).toContain(`lists the invoice as ${state}, no longer held`);

			harness.setParameters({
				events: ['held'],
				options: { confirmInvoiceId: true, repeatedNotifications: 'passOnMarked' },
			});
			expect(await harness.post(body)).toEqual(OK);
			expect(harness.executions.map((e) => [e.items[0].stale, e.items[0].invoiceId])).toEqual([
				[true, invoice.invoiceId],
			]);
		},
	);

	test.each([['Held'], ['Created']])(
		'listed as %s (Created: the Personal API may list a fresh hold late): passed on as new',
		async (state) => {
			const orderId = `order-h-${state}`;
			const invoice = sandbox.addInvoice({ orderId, state: /** @type {any} */ (state) });
			expect(await harness.post(formBody(heldNotification(orderId, invoice.invoiceId)))).toEqual(
				OK,
			);
			expect(harness.executions.map((e) => [e.items[0].stale, e.items[0].invoiceId])).toEqual([
				[false, invoice.invoiceId],
			]);
		},
	);
});
