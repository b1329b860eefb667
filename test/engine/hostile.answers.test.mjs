// @ts-check
/**
 * Against a hostile server that accepts every repeat (test/support/hostile.mjs): an answer that does
 * not prove "not carried out" is never followed by a second money-moving request; redirects are never
 * followed; no byte of a foreign answer, and no secret, reaches an item or an error; the Timeout
 * bounds the whole answer. The server's request log is the judge.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';

import { deduplicator } from '../../dev/n8n/engine.mjs';
import { loadWorkflow, withParameters } from '../support/harness.mjs';
import {
	answer,
	drop,
	envelope,
	useHostileHarness,
	onlyItem,
	startHostileServer,
} from '../support/hostile.mjs';

const CAPTURE = 'merchant/purchaseToPaid';
const CREATE = 'merchant/createInvoice';
const EXECUTE = 'personal/payout/executeOperation';
const STATE = 'personal/payout/getOperationState';
const TOKEN = 'personal/user/getUserToken';
const PAYOUT_ID = '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23';

const byOrderId = withParameters(loadWorkflow('capture-by-order-id'), {}, { continueOnFail: true });
const createInvoice = withParameters(loadWorkflow('create-invoice'), {}, { continueOnFail: true });
const payout = withParameters(loadWorkflow('payout-execute'), {}, { continueOnFail: true });
const order = { orderId: 'order-9001' };
const newInvoice = {
	orderId: 'order-9002',
	amount: '1500.00',
	expireDate: '2099-01-01T12:00:00Z',
	email: 'buyer@example.com',
};

const h = useHostileHarness();
beforeEach(() => {
	h.server.reset();
	// Payout Execute reads the payout before executing it: a Created payout.
	h.server.on(STATE, (_request, res) =>
		answer(res, 200, envelope({ PayoutOperationId: PAYOUT_ID, PayoutOperationState: 'Created' })),
	);
});

describe('only proof of "not carried out" lets a money-moving request go again', () => {
	test.each([201, 202, 204, 206, 300, 302, 304, 400, 401, 403, 404, 409, 500, 502, 503])(
		'HTTP %s to a capture: sent once, reported as "may have been carried out"',
		async (status) => {
			h.server.on(CAPTURE, (_request, res) =>
				answer(res, status, status === 204 || status === 304 ? '' : envelope({})),
			);
			const item = onlyItem(await h.run(byOrderId, { items: [order] }));
			expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
			expect(item.error).toMatch(new RegExp(`^IntellectMoney answered HTTP ${status}`));
			expect(item.description).toContain('It may have been carried out.');
			expect(item.description).toContain('check the invoice in the IntellectMoney cabinet');
		},
	);

	test.each([201, 202])(
		'Create Invoice answered HTTP %s: sent once (a second invoice could be paid twice)',
		async (status) => {
			h.server.on(CREATE, (_request, res) =>
				answer(res, status, envelope({ InvoiceId: 3000009002 })),
			);
			const item = onlyItem(await h.run(createInvoice, { items: [newInvoice] }));
			expect(h.server.requestsTo(CREATE)).toHaveLength(1);
			expect(item.description).toContain(
				'look for Order ID order-9002 in the IntellectMoney cabinet',
			);
		},
	);

	test('a reset after the request arrived, a cut body, and a JSON answer that is not the envelope: each sent once', async () => {
		for (const handler of [
			(/** @type {any} */ _request, /** @type {any} */ res) => drop(res),
			(/** @type {any} */ _request, /** @type {any} */ res) => {
				res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
				res.write('{"OperationState":{"Code":0},"Result":{"State":{"Co');
				res.socket?.destroy();
			},
			(/** @type {any} */ _request, /** @type {any} */ res) => answer(res, 200, { ok: true }),
		]) {
			h.server.reset();
			// Each case as on a fresh n8n: no earlier run's record of this order.
			deduplicator.rows.clear();
			h.server.on(CAPTURE, handler);
			const item = onlyItem(await h.run(byOrderId, { items: [order] }));
			expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
			expect(item.description).toContain('may have been carried out');
		}
	});

	test('HTTP 429 may have been carried out (IntellectMoney publishes none): not sent again, reported lost', async () => {
		let calls = 0;
		h.server.on(CAPTURE, (_request, res) => {
			calls += 1;
			if (calls === 1) answer(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
			else answer(res, 200, envelope({ InvoiceId: 3000009001 }));
		});
		const item = onlyItem(await h.run(byOrderId, { items: [order] }));
		expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
		expect(item).toMatchObject({ outcome: 'lost' });
		expect(item.error).toBe('IntellectMoney answered HTTP 429 [item 0]');
		expect(item.description).toContain('it may have been carried out');
	});
});

describe('redirects are never followed', () => {
	/** @type {Awaited<ReturnType<typeof startHostileServer>>} */
	let elsewhere;
	beforeAll(async () => {
		elsewhere = await startHostileServer();
	});
	afterAll(async () => {
		await elsewhere.stop();
	});
	beforeEach(() => elsewhere.reset());

	test.each([301, 302, 303, 307, 308])(
		'HTTP %s from the capture: nothing reaches the other host, the error names it',
		async (status) => {
			h.server.on(CAPTURE, (_request, res) =>
				answer(res, status, '', { location: `${elsewhere.url}${CAPTURE}` }),
			);
			elsewhere.on(CAPTURE, (_request, res) => answer(res, 200, envelope({ InvoiceId: 1 })));
			const item = onlyItem(await h.run(byOrderId, { items: [order] }));
			expect(elsewhere.log).toHaveLength(0);
			expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
			expect(item.error).toBe(
				`IntellectMoney answered HTTP ${status}, a redirect to 127.0.0.1 [item 0]`,
			);
			expect(item.description).toContain('Redirects are never followed');
			expect(item.description).toContain('It may have been carried out.');
		},
	);

	test('a 307 from the user-token request carries Login and Password nowhere', async () => {
		h.server.on(TOKEN, (_request, res) =>
			answer(res, 307, '', { location: `${elsewhere.url}${TOKEN}` }),
		);
		const item = onlyItem(await h.run(payout, { items: [{ payoutOperationId: PAYOUT_ID }] }));
		expect(elsewhere.log).toHaveLength(0);
		expect(h.server.requestsTo(EXECUTE)).toHaveLength(0);
		expect(item.error).toBeDefined();
		expect(h.leaks()).toEqual([]);
	});
});

describe('no byte of a foreign answer, and no secret, in an item or an error', () => {
	/** An echo of the whole request (headers and body), as a misconfigured proxy page might show it. */
	const echo = (/** @type {import('../support/hostile.mjs').LoggedRequest} */ request) =>
		`${JSON.stringify(request.headers)} ${new URLSearchParams(request.fields).toString()}`;

	test.each([
		['an HTML page with the request in its title', 200, 'html'],
		['HTTP 500 with the request in JSON', 500, 'json'],
		['HTTP 200 JSON that is not the envelope', 200, 'json'],
		['HTTP 403 as plain text', 403, 'text'],
	])('%s', async (_case, status, kind) => {
		h.server.on(CAPTURE, (request, res) => {
			if (kind === 'html') {
				const page = `<html><head><title>${echo(request)}</title></head><body>${echo(request)}</body></html>`;
				answer(res, status, page, { 'content-type': 'text/html; charset=utf-8' });
			} else if (kind === 'json')
				answer(res, status, { echo: echo(request), headers: request.headers });
			else answer(res, status, echo(request));
		});
		const item = onlyItem(await h.run(byOrderId, { items: [order] }));
		expect(item.description).toMatch(/The answer: HTTP \d{3}, [a-z]+\/[a-z]+, \d+ bytes\./);
		expect(JSON.stringify(item)).not.toContain('Bearer');
		expect(JSON.stringify(item)).not.toContain('order-9001::');
		expect(h.leaks()).toEqual([]);
	});

	test('the user-token request answered with an echo page: Login and Password appear nowhere', async () => {
		h.server.on(TOKEN, (request, res) =>
			answer(res, 200, `<html><title>${echo(request)}</title></html>`, {
				'content-type': 'text/html',
			}),
		);
		const item = onlyItem(await h.run(payout, { items: [{ payoutOperationId: PAYOUT_ID }] }));
		expect(item.error).toBeDefined();
		expect(JSON.stringify(item)).not.toContain('operator%40example.com');
		expect(h.leaks()).toEqual([]);
	});
});

describe('the Timeout bounds the whole answer', () => {
	test('an envelope dripped one byte every 400 ms does not hold a 1 s Timeout for long', async () => {
		const body = JSON.stringify(envelope({ InvoiceId: 3000009001 }));
		let closedEarly = false;
		h.server.on(CAPTURE, async (_request, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.on('close', () => (closedEarly = !res.writableFinished));
			for (const char of body) {
				if (res.destroyed) return;
				res.write(char);
				await new Promise((resolve) => setTimeout(resolve, 400));
			}
			res.end();
		});
		const workflow = withParameters(
			byOrderId,
			{ options: { timeoutSeconds: 1 } },
			{ continueOnFail: true },
		);
		const started = Date.now();
		const item = onlyItem(await h.run(workflow, { items: [order] }));
		const elapsed = Date.now() - started;
		// The whole body would take over 40 s; the deadline cuts it at 1 s (plus the engine's own time).
		expect(elapsed).toBeLessThan(4000);
		expect(item.error).toBe('IntellectMoney did not answer in time (1 s) [item 0]');
		expect(h.server.requestsTo(CAPTURE)).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(closedEarly).toBe(true);
	});
});
