// @ts-check
/**
 * Options → Parallel Requests through n8n-core's WorkflowExecute against the sandbox. Requests go
 * through a small counting proxy in front of the sandbox, which sees how many are in flight at once
 * (in total and per invoice or payout), so concurrency is measured where IntellectMoney would feel it.
 * Per-request latency comes from the sandbox's `latency` fault, queued per request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createServer, request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';

const CAPTURE = 'merchant/purchaseToPaid';
const EXECUTE = 'personal/payout/executeOperation';
const TOKEN = 'personal/user/getUserToken';
const byInvoice = loadWorkflow('capture-by-invoice-id');
const byOrder = loadWorkflow('capture-by-order-id');
const payout = loadWorkflow('payout-execute');

/**
 * @typedef {object} ProxyStats
 * @property {number} maxInFlight  most requests in flight at once
 * @property {number} maxInFlightPerTarget  most requests in flight at once for one invoice/order/payout
 * @property {string[]} answeredTargets  the target of each answered money-moving request, in answer order
 */

/**
 * A pass-through HTTP proxy that counts requests in flight (from the request's arrival to the end of
 * its answer), and can hold a money-moving request back by its target before passing it on, for a
 * latency that depends on the item rather than on the order requests arrive in.
 * @param {string} target  the sandbox's base URL
 */
async function startCountingProxy(target) {
	/** @type {(targetKey: string) => number} */
	let holdMs = () => 0;
	let inFlight = 0;
	/** @type {Map<string, number>} */
	const inFlightPerTarget = new Map();
	/** @type {ProxyStats} */
	let stats = { maxInFlight: 0, maxInFlightPerTarget: 0, answeredTargets: [] };
	const server = createServer(async (req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const body = Buffer.concat(chunks);
		const fields = new URLSearchParams(body.toString('utf8'));
		const endpoint = (req.url ?? '').replace(/^\//, '');
		const moving = endpoint === CAPTURE || endpoint === EXECUTE;
		const targetKey = moving
			? (fields.get('InvoiceId') ?? fields.get('OrderId') ?? fields.get('PayoutOperationId') ?? '')
			: undefined;
		inFlight += 1;
		stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
		if (targetKey !== undefined) {
			const count = (inFlightPerTarget.get(targetKey) ?? 0) + 1;
			inFlightPerTarget.set(targetKey, count);
			stats.maxInFlightPerTarget = Math.max(stats.maxInFlightPerTarget, count);
		}
		const hold = targetKey === undefined ? 0 : holdMs(targetKey);
		if (hold > 0) await delay(hold);
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			inFlight -= 1;
			if (targetKey !== undefined) {
				inFlightPerTarget.set(targetKey, (inFlightPerTarget.get(targetKey) ?? 1) - 1);
				stats.answeredTargets.push(targetKey);
			}
		};
		const upstream = request(
			new URL(endpoint, target),
			{ method: req.method, headers: req.headers },
			(answer) => {
				/** @type {Buffer[]} */
				const parts = [];
				answer.on('data', (part) => parts.push(part));
				answer.on('end', () => {
					finish();
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					res.end(Buffer.concat(parts));
				});
			},
		);
		upstream.on('error', () => {
			finish();
			res.destroy();
		});
		upstream.end(body);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('proxy: no address');
	return {
		url: `http://127.0.0.1:${address.port}/`,
		stats: () => stats,
		reset() {
			stats = { maxInFlight: 0, maxInFlightPerTarget: 0, answeredTargets: [] };
			holdMs = () => 0;
		},
		/** @param {(targetKey: string) => number} hold  ms to hold a request for this invoice/payout */
		holdBy(hold) {
			holdMs = hold;
		},
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** @type {Awaited<ReturnType<typeof startCountingProxy>>} */
let proxy;
const h = useHarness();
beforeAll(async () => {
	proxy = await startCountingProxy(h.sandbox.url);
});
afterAll(async () => {
	await proxy.stop();
});
beforeEach(() => {
	h.sandbox.clearLog();
	h.sandbox.clearFaults();
	h.sandbox.onRequest(undefined);
	proxy.reset();
});

/**
 * Runs `workflow` through the counting proxy with Parallel Requests `parallelRequests`.
 * @param {any} workflow @param {number} parallelRequests
 * @param {Array<Record<string, unknown>>} items @param {{ continueOnFail?: boolean }} [options]
 */
async function runParallel(workflow, parallelRequests, items, options = {}) {
	const configured = withParameters(workflow, { options: { parallelRequests } }, options);
	return await h.run(configured, { items, credentials: { baseUrl: proxy.url } });
}

/**
 * Queues one `latency` fault per request to `endpoint`, in arrival order.
 * @param {string} endpoint @param {number[]} latencies
 */
function queueLatencies(endpoint, latencies) {
	for (const latencyMs of latencies) {
		h.sandbox.injectFaults({ endpoint, kind: 'latency', latencyMs, count: 1 });
	}
}

/**
 * Output items without the per-answer random OperationId.
 * @param {Record<string, unknown>[]} items @returns {Array<Record<string, any>>}
 */
function withoutOperationIds(items) {
	return items.map(({ operationId, ...rest }) => ({ ...rest, operationId: typeof operationId }));
}

describe('Parallel Requests keeps the output as in sequential mode', () => {
	test('order and pairedItem are kept with 10 in flight, answers coming back out of order', async () => {
		const invoices = Array.from({ length: 30 }, () => h.sandbox.addInvoice());
		// 100–158 ms, scattered, so later items often answer first; long enough that the first ten
		// are all in flight before any answers, also on a busy machine.
		queueLatencies(
			CAPTURE,
			invoices.map((_, i) => 100 + ((i * 37) % 59)),
		);
		const result = await runParallel(
			byInvoice,
			10,
			invoices.map((inv) => ({ invoiceId: inv.invoiceId })),
		);

		expect(result.status).toBe('success');
		const output = result.output('IntellectMoney');
		expect(output.map((item) => item.pairedItem)).toEqual(invoices.map((_, i) => ({ item: i })));
		expect(output.map((item) => item.json.invoiceId)).toEqual(invoices.map((inv) => inv.invoiceId));
		expect(output.every((item) => item.json.captured === true)).toBe(true);
		// The answers really did come back in another order than the items'.
		const answered = proxy.stats().answeredTargets;
		expect(answered).not.toEqual(invoices.map((inv) => inv.invoiceId));
		expect([...answered].sort()).toEqual(invoices.map((inv) => inv.invoiceId).sort());
		expect(proxy.stats().maxInFlight).toBe(10);
		for (const inv of invoices) expect(h.sandbox.ledger().captures[inv.invoiceId]).toBe(1);
	});

	test('reaches the set concurrency and never exceeds it', async () => {
		for (const parallelRequests of [3, 10]) {
			proxy.reset();
			const invoices = Array.from({ length: 24 }, () => h.sandbox.addInvoice());
			// Long enough that K requests overlap before the first answer, also on a busy machine.
			queueLatencies(
				CAPTURE,
				invoices.map(() => 100),
			);
			const result = await runParallel(
				byOrder,
				parallelRequests,
				invoices.map((inv) => ({ orderId: inv.orderId })),
			);
			expect(result.status).toBe('success');
			expect(proxy.stats().maxInFlight).toBe(parallelRequests);
		}
	});

	test('the same items give the same output with 1 and with 10 parallel requests', async () => {
		const run = async (/** @type {number} */ parallelRequests) => {
			/** @type {Record<number, import('../../dev/sandbox/index.mjs').InvoiceInput>} */
			const special = {
				3: { state: 'Created' },
				7: { outcome: 'queued' },
				9: { outcome: 'warning' },
			};
			const invoices = Array.from({ length: 12 }, (_, i) => h.sandbox.addInvoice(special[i]));
			queueLatencies(
				CAPTURE,
				invoices.map((_, i) => (i * 13) % 29),
			);
			const items = invoices.map((inv) => ({ invoiceId: inv.invoiceId }));
			items[5] = { invoiceId: 'not-an-invoice' }; // bad input: refused before sending
			const result = await runParallel(byInvoice, parallelRequests, items, {
				continueOnFail: true,
			});
			const ids = new Map(invoices.map((inv, i) => [inv.invoiceId, `<invoice ${i}>`]));
			ids.set(String(h.sandbox.shop.eshopId), '<eshop>');
			// Same shape, whatever the random ids of this run's invoices.
			const text = JSON.stringify(result.output('IntellectMoney')).replace(
				/3\d{9}|sandbox-order-\d+/g,
				(id) => ids.get(id) ?? (id.startsWith('sandbox-order') ? '<order>' : id),
			);
			return withoutOperationIds(
				JSON.parse(text).map((/** @type {any} */ item) => ({
					...item.json,
					pairedItem: item.pairedItem,
				})),
			);
		};
		const sequential = await run(1);
		const parallel = await run(10);
		expect(parallel).toEqual(sequential);
		expect(parallel.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 12 }, (_, i) => ({ item: i })),
		);
		// The mix really is mixed: good, queued, warning and failed items.
		expect(parallel[0]).toMatchObject({ captured: true, status: 'captured' });
		expect(parallel[3]).toMatchObject({ error: expect.stringContaining('[item 3]') });
		expect(parallel[5]).toMatchObject({ error: expect.stringContaining('[item 5]') });
		expect(parallel[7]).toMatchObject({ status: 'queued' });
		expect(parallel[9]).toMatchObject({ warning: expect.any(String) });
	});
});

describe('items for the same money never run at once', () => {
	test('a repeated Invoice ID in one batch is captured once; the repeat is alreadyDone, as in sequential mode', async () => {
		const run = async (/** @type {number} */ parallelRequests) => {
			const [a, b, c] = [h.sandbox.addInvoice(), h.sandbox.addInvoice(), h.sandbox.addInvoice()];
			const order = [a, a, b, a, c, b, a, c, a, a];
			queueLatencies(
				CAPTURE,
				order.map(() => 20),
			);
			const result = await runParallel(
				byInvoice,
				parallelRequests,
				order.map((inv) => ({ invoiceId: inv.invoiceId })),
				{ continueOnFail: true },
			);
			for (const inv of [a, b, c]) expect(h.sandbox.ledger().captures[inv.invoiceId]).toBe(1);
			return outputJson(result).map((json) => [
				order.indexOf(order.find((inv) => inv.invoiceId === json.invoiceId) ?? a),
				json.captured,
				json.alreadyDone,
				json.error ?? null,
			]);
		};
		const sequential = await run(1);
		proxy.reset();
		const parallel = await run(10);
		expect(parallel).toEqual(sequential);
		expect(parallel.filter(([, , alreadyDone]) => alreadyDone === false)).toHaveLength(3);
		expect(parallel.filter(([, , alreadyDone]) => alreadyDone === true)).toHaveLength(7);
		expect(proxy.stats().maxInFlightPerTarget).toBe(1);
		expect(proxy.stats().maxInFlight).toBeGreaterThan(1);
	});

	test('a repeated Order ID: one capture, the repeats of this execution come out alreadyDone, as in sequential mode', async () => {
		const run = async (/** @type {number} */ parallelRequests) => {
			const [a, b] = [h.sandbox.addInvoice(), h.sandbox.addInvoice()];
			const order = [a, b, a, a];
			queueLatencies(
				CAPTURE,
				order.map(() => 20),
			);
			const result = await runParallel(
				byOrder,
				parallelRequests,
				order.map((inv) => ({ orderId: inv.orderId })),
				{ continueOnFail: true },
			);
			expect(h.sandbox.ledger().captures[a.invoiceId]).toBe(1);
			expect(h.sandbox.ledger().captures[b.invoiceId]).toBe(1);
			return outputJson(result).map((json) =>
				json.error === undefined
					? json.alreadyDone
						? 'alreadyDone'
						: 'captured'
					: String(json.error).replace(a.orderId, '<order>').replace(a.invoiceId, '<invoice>'),
			);
		};
		const sequential = await run(1);
		proxy.reset();
		const parallel = await run(10);
		expect(parallel).toEqual(sequential);
		// This execution already captured it (item 0): never sent again (atMostOnce/memory.ts).
		expect(parallel).toEqual(['captured', 'captured', 'alreadyDone', 'alreadyDone']);
		expect(h.requestsTo(CAPTURE).length).toBe(4);
		expect(proxy.stats().maxInFlightPerTarget).toBe(1);
	});
});

describe('payouts share one user token', () => {
	test('30 payouts, 10 at a time: one getUserToken, each payout executed once', async () => {
		const operations = Array.from({ length: 30 }, () => h.sandbox.addPayoutOperation());
		queueLatencies(
			EXECUTE,
			operations.map((_, i) => 5 + ((i * 7) % 23)),
		);
		const result = await runParallel(
			payout,
			10,
			operations.map((op) => ({ payoutOperationId: op.id })),
		);
		expect(result.status).toBe('success');
		expect(h.requestsTo(TOKEN)).toHaveLength(1);
		expect(outputJson(result).map((json) => json.payoutOperationId)).toEqual(
			operations.map((op) => op.id),
		);
		for (const op of operations) expect(h.sandbox.ledger().payoutExecutions[op.id]).toBe(1);
		expect(proxy.stats().maxInFlight).toBeGreaterThan(1);
		expect(proxy.stats().maxInFlight).toBeLessThanOrEqual(10);
	});

	test('a token that expires mid-batch is renewed once for all the items in flight', async () => {
		const operations = Array.from({ length: 20 }, () => h.sandbox.addPayoutOperation());
		queueLatencies(
			EXECUTE,
			operations.map(() => 25),
		);
		let expired = false;
		h.sandbox.onRequest((entry) => {
			if (entry.endpoint === EXECUTE && !expired) {
				expired = true;
				h.sandbox.expireUserTokens();
			}
		});
		const result = await runParallel(
			payout,
			10,
			operations.map((op) => ({ payoutOperationId: op.id })),
		);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(h.requestsTo(TOKEN)).toHaveLength(2);
		// Several items were refused with the stale token at once, and all shared the one renewal.
		const refusedStale = h
			.requestsTo(EXECUTE)
			.filter((entry) => entry.verdict === 'refused' && 'Result' in entry.response);
		expect(refusedStale.length).toBeGreaterThan(1);
		for (const op of operations) expect(h.sandbox.ledger().payoutExecutions[op.id]).toBe(1);
	});
});

describe('failures', () => {
	test('without Continue On Fail: no new item starts, in-flight ones settle, the lowest failed item is reported', async () => {
		const invoices = Array.from({ length: 20 }, (_, i) =>
			h.sandbox.addInvoice({ state: i === 2 || i === 5 ? 'Created' : 'Held' }),
		);
		// Item 5 is refused at once, item 2 a little later, the others answer slowly.
		const holds = new Map(
			invoices.map((inv, i) => [inv.invoiceId, i === 5 ? 0 : i === 2 ? 30 : 80]),
		);
		proxy.holdBy((invoiceId) => holds.get(invoiceId) ?? 0);
		const result = await runParallel(
			byInvoice,
			10,
			invoices.map((inv) => ({ invoiceId: inv.invoiceId })),
		);

		expect(result.status).toBe('error');
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toMatch(/^[A-Z][^.]+\. IntellectMoney says: .*\[item 2\]/);
		expect(error.message).toMatch(/7 later items were sent alongside and may have been processed/);
		// The items carried out are named with their invoices; item 5, refused, moved nothing.
		expect(error.description).toMatch(
			/Items 0 \(invoice \d+, Order ID [^)]+\), 1 \(.+\), 3 \(.+\), 4 \(.+\), 6 \(.+\), 7 \(.+\), 8 \(.+\), 9 \(.+\) were carried out before this failure/,
		);
		expect(error.description).not.toMatch(/item 5 /);
		// The ten first items were sent; none after the first refusal came back.
		expect(h.requestsTo(CAPTURE)).toHaveLength(10);
		const ledger = h.sandbox.ledger().captures;
		expect(invoices.map((inv) => ledger[inv.invoiceId])).toEqual([
			1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		]);
	});

	test('Parallel Requests outside 1–50 is refused before anything is sent', async () => {
		const inv = h.sandbox.addInvoice();
		for (const parallelRequests of [0, 51, 2.5, -3]) {
			const result = await runParallel(byInvoice, parallelRequests, [{ invoiceId: inv.invoiceId }]);
			expect(result.status).toBe('error');
			expect(result.nodeError('IntellectMoney')?.message).toBe(
				'Parallel Requests must be a whole number from 1 to 50',
			);
		}
		expect(h.sandbox.log).toHaveLength(0);
		expect(h.sandbox.ledger().captures[inv.invoiceId]).toBe(0);
	});
});
