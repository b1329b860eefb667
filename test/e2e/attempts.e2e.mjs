// @ts-check
/**
 * End-to-end, the memory of earlier attempts in a real n8n (per line, IM_E2E_LINES): n8n's Retry On
 * Fail (3 tries) and the operator's re-run (a second `n8n execute` of the saved workflow, a new
 * execution in another process) never send a money-moving request again after an answer that may have
 * been carried out. The sandbox is the judge: its request log (what was sent, which fault it took) and
 * its ledger (what moved money), independent of the node's own code.
 *
 * What n8n does, as these runs show it: Retry On Fail runs the node again in the same process and the
 * same execution (the expression `$execution.id` evaluates to the same id on every try), and each
 * `n8n execute`, and the editor's Retry of a failed execution (REST, in `n8n start`), is a new
 * execution whose records in n8n's deduplication store (its database in the user folder) the next
 * process reads. With Continue On Fail, n8n also retries the node when its first item is an error item.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	DEMO_OWNER,
	ensureN8n,
	ensureOwner,
	freePort,
	installPackage,
	login,
	n8nCommand,
	startN8nServer,
} from '../../dev/n8n/index.mjs';
import { credentialFor, startSandbox } from '../../dev/sandbox/index.mjs';
import { findLeaks, secretsOf } from '../support/harness.mjs';
import { importIntoN8n, parseRawOutput } from '../support/n8n-rest.mjs';
import { attemptWorkflows, FLOWS, IM_NODE, ITEMS_NODE } from './workflows/attempts.mjs';

const LINES = /** @type {Array<'2.x' | '1.x'>} */ (
	(process.env.IM_E2E_LINES ?? '2.x,1.x').split(',').map((l) => l.trim())
);
const REFUND = 'merchant/purchaseToRefund';
const CREATE_INVOICE = 'merchant/createInvoice';
const HISTORY = 'personal/payment/getInvoicesHistory';
const EXECUTE = 'personal/payout/executeOperation';
const PAYOUT_STATE = 'personal/payout/getOperationState';

/** The invoices and the payout of this suite (its own, beside nothing else in this sandbox). */
const REFUND_INVOICE = { invoiceId: '3000009001', orderId: 'att-refund-by-invoice' };
const ORDER_INVOICE = { invoiceId: '3000009002', orderId: 'att-refund-by-order' };
const TAKEN_ORDER = { invoiceId: '3000009003', orderId: 'att-order-taken' };
const NEW_ORDER = 'att-new-order';
const PAYOUT_ID = 'cccccccc-dddd-4eee-8fff-000000000001';
const RETRIED_INVOICE = { invoiceId: '3000009004', orderId: 'att-refund-retried' };
const CONTINUE_INVOICES = [
	{ invoiceId: '3000009005', orderId: 'att-continue-lost' },
	{ invoiceId: '3000009006', orderId: 'att-continue-ok' },
];

/** Env of a run: n8n 2.x blocks `$env` in nodes by default; the workflows read the operator's switch from it. */
const runEnv = (/** @type {{ sendAnyway?: boolean }} */ { sendAnyway = false } = {}) => ({
	N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
	IM_ATT_SEND_ANYWAY: sendAnyway ? 'yes' : 'no',
});

describe.each(LINES)('memory across attempts in n8n %s', (lineName) => {
	/** @type {Awaited<ReturnType<typeof ensureN8n>>} */
	let runtime;
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {string} */
	let userFolder;
	/** Execution ids seen by the workflows' first node, per workflow, in run order. */
	const executionIds = /** @type {Record<string, string[]>} */ ({});
	let started = 0;

	beforeAll(async () => {
		started = Date.now();
		runtime = await ensureN8n(lineName);
		userFolder = mkdtempSync(path.join(tmpdir(), `im-e2e-attempts-${lineName}-`));
		installPackage(userFolder);
		sandbox = await startSandbox();
		const held = {
			state: /** @type {const} */ ('Held'),
			holdMode: true,
			holdTime: 72,
			amount: '990.00',
		};
		sandbox.addInvoice({ ...REFUND_INVOICE, ...held });
		sandbox.addInvoice({ ...ORDER_INVOICE, ...held });
		sandbox.addInvoice({ ...RETRIED_INVOICE, ...held });
		for (const invoice of CONTINUE_INVOICES) sandbox.addInvoice({ ...invoice, ...held });
		sandbox.addInvoice({ ...TAKEN_ORDER, state: 'Created' });
		sandbox.addPayoutOperation({ id: PAYOUT_ID, amount: '1500.00' });
		await importIntoN8n(runtime, userFolder, {
			credentials: [
				{
					id: 'imSandboxCred01',
					name: 'IntellectMoney sandbox',
					type: 'intellectMoneyApi',
					data: credentialFor(sandbox),
				},
			],
			workflows: attemptWorkflows({
				refundInvoiceId: REFUND_INVOICE.invoiceId,
				refundOrderId: ORDER_INVOICE.orderId,
				newOrderId: NEW_ORDER,
				takenOrderId: TAKEN_ORDER.orderId,
				payoutOperationId: PAYOUT_ID,
				retriedInvoiceId: RETRIED_INVOICE.invoiceId,
				continueInvoiceIds: CONTINUE_INVOICES.map((invoice) => invoice.invoiceId),
			}),
		});
	}, 30 * 60_000);

	afterAll(async () => {
		await sandbox?.stop();
		if (userFolder) rmSync(userFolder, { recursive: true, force: true });
		process.stderr.write(
			`[attempts e2e] n8n ${lineName}: ${Math.round((Date.now() - started) / 1000)} s\n`,
		);
	});

	/**
	 * `n8n execute` of a saved workflow: its exit code, its run data, the node's error, the execution id.
	 * @param {string} flowId @param {{ sendAnyway?: boolean }} [options]
	 */
	const execute = async (flowId, options) => {
		const result = await n8nCommand(
			runtime,
			userFolder,
			['execute', `--id=${flowId}`, '--rawOutput'],
			runEnv(options),
		);
		const output = `${result.stdout}\n${result.stderr}`;
		expect(findLeaks([output], secretsOf(sandbox))).toEqual([]);
		const run = parseRawOutput(result.stdout);
		const runData = run?.data?.resultData?.runData ?? {};
		const executionId = String(runData[ITEMS_NODE]?.[0]?.data?.main?.[0]?.[0]?.json?.executionId);
		(executionIds[flowId] ??= []).push(executionId);
		const task = runData[IM_NODE]?.[0];
		return {
			code: result.code,
			output,
			executionId,
			/** How many runs of the node n8n recorded (Retry On Fail's tries are not recorded apart). */
			tasks: runData[IM_NODE]?.length ?? 0,
			/** @type {any} */ error: task?.error,
			/** @type {any[]} */ items: (task?.data?.main?.[0] ?? []).map(
				(/** @type {any} */ i) => i.json,
			),
		};
	};

	/** The log's requests to these endpoints: [endpoint, fault]. @param {string[]} endpoints */
	const sent = (endpoints) =>
		sandbox.log.filter((e) => endpoints.includes(e.endpoint)).map((e) => [e.endpoint, e.fault]);

	/** The refund of this invoice is carried out and its answer lost; its first read is answered, every later one fails. */
	const loseRefundThenReads = (/** @type {string} */ invoiceId) => {
		const match = { InvoiceId: invoiceId };
		sandbox.injectFaults({ endpoint: REFUND, kind: 'applyThenDrop', match });
		sandbox.injectFaults({ endpoint: HISTORY, kind: 'latency', latencyMs: 0, match });
		sandbox.injectFaults({ endpoint: HISTORY, kind: 'redirect307', count: 50, match });
	};
	/** [endpoint, InvoiceId, fault] of the log's refunds and invoice reads. */
	const refundsAndReads = () =>
		sandbox.log
			.filter((e) => e.endpoint === REFUND || e.endpoint === HISTORY)
			.map((e) => [e.endpoint, e.fields.InvoiceId, e.fault]);

	describe('Release/Refund by Invoice ID: the refund is carried out, its answer lost, the invoice unreadable after', () => {
		test('Retry On Fail (3 tries): one refund request, one refund; tries 2 and 3 only read; outcome lost', async () => {
			sandbox.clearLog();
			const match = { InvoiceId: REFUND_INVOICE.invoiceId };
			sandbox.injectFaults({ endpoint: REFUND, kind: 'applyThenDrop', match });
			// The read before the refund is answered (the invoice is Held); every read after it fails.
			sandbox.injectFaults({ endpoint: HISTORY, kind: 'latency', latencyMs: 0, match });
			sandbox.injectFaults({ endpoint: HISTORY, kind: 'redirect307', count: 50, match });
			const run = await execute(FLOWS.refundByInvoice);
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('lost');
			// n8n's run data holds one run of the node, with the last try's error; the log shows the tries.
			expect(run.tasks).toBe(1);
			// n8n ran the node three times: the first try read, refunded (answer lost) and read again;
			// tries 2 and 3 each read once and sent nothing.
			expect(sent([HISTORY, REFUND])).toEqual([
				[HISTORY, 'latency'],
				[REFUND, 'applyThenDrop'],
				[HISTORY, 'redirect307'],
				[HISTORY, 'redirect307'],
				[HISTORY, 'redirect307'],
			]);
			expect(sandbox.ledger().refunds[REFUND_INVOICE.invoiceId]).toBe(1);
			expect(sandbox.getInvoice(REFUND_INVOICE.invoiceId)?.state).toBe('Refund');
		});

		test("the operator's re-run while the reads still fail: a new execution, nothing sent, outcome earlierRun", async () => {
			sandbox.clearLog();
			const run = await execute(FLOWS.refundByInvoice);
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('earlierRun');
			expect(run.executionId).not.toBe(executionIds[FLOWS.refundByInvoice][0]);
			// earlierRun is an error, so n8n tries the node 3 times: each try reads once and sends nothing.
			expect(sent([HISTORY, REFUND])).toEqual([
				[HISTORY, 'redirect307'],
				[HISTORY, 'redirect307'],
				[HISTORY, 'redirect307'],
			]);
			expect(sandbox.ledger().refunds[REFUND_INVOICE.invoiceId]).toBe(1);
		});

		test('a re-run once the reads are healthy: the node reads Refund, alreadyDone, still one refund', async () => {
			sandbox.clearFaults();
			sandbox.clearLog();
			const run = await execute(FLOWS.refundByInvoice);
			expect(run.code).toBe(0);
			expect(run.items).toEqual([
				expect.objectContaining({
					invoiceId: REFUND_INVOICE.invoiceId,
					refunded: true,
					alreadyDone: true,
				}),
			]);
			expect(sent([HISTORY, REFUND])).toEqual([[HISTORY, null]]);
			expect(sandbox.ledger().refunds[REFUND_INVOICE.invoiceId]).toBe(1);
		});

		test('with "Send Even If an Earlier Run May Have Sent It" on, the read first still finds it done: nothing sent', async () => {
			sandbox.clearLog();
			const run = await execute(FLOWS.refundByInvoice, { sendAnyway: true });
			expect(run.code).toBe(0);
			expect(run.items).toEqual([expect.objectContaining({ refunded: true, alreadyDone: true })]);
			expect(sent([HISTORY, REFUND])).toEqual([[HISTORY, null]]);
			expect(sandbox.ledger().refunds[REFUND_INVOICE.invoiceId]).toBe(1);
			expect(new Set(executionIds[FLOWS.refundByInvoice]).size).toBe(4);
		});
	});

	describe('Release/Refund by Order ID (no read possible): the refund is carried out, its answer lost', () => {
		test('Retry On Fail (3 tries): one refund request, one refund; outcome lost', async () => {
			sandbox.clearLog();
			sandbox.injectFaults({
				endpoint: REFUND,
				kind: 'applyThenDrop',
				match: { OrderId: ORDER_INVOICE.orderId },
			});
			const run = await execute(FLOWS.refundByOrder);
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('lost');
			expect(sent([REFUND])).toEqual([[REFUND, 'applyThenDrop']]);
			expect(sandbox.ledger().refunds[ORDER_INVOICE.invoiceId]).toBe(1);
		});

		test("the operator's re-run: nothing sent, outcome earlierRun", async () => {
			sandbox.clearLog();
			const run = await execute(FLOWS.refundByOrder);
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('earlierRun');
			expect(sent([REFUND])).toEqual([]);
		});

		test('with "Send Even If an Earlier Run May Have Sent It" on: sent again, IntellectMoney refuses it, still one refund', async () => {
			sandbox.clearLog();
			const run = await execute(FLOWS.refundByOrder, { sendAnyway: true });
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('refused');
			// A refusal is proof that nothing was carried out, so each of n8n's 3 tries sends it once more.
			const refunds = sandbox.log.filter((e) => e.endpoint === REFUND);
			expect(
				refunds.map((e) => [e.fault, /** @type {any} */ (e.response).Result?.State?.Code]),
			).toEqual([
				[null, 5],
				[null, 5],
				[null, 5],
			]);
			expect(sandbox.ledger().refunds[ORDER_INVOICE.invoiceId]).toBe(1);
		});
	});

	describe('Create Invoice, 2 items, no Continue On Fail, Retry On Fail (3 tries)', () => {
		test('item 1 refused by IntellectMoney: item 0 is created once across the tries, and the error names it', async () => {
			sandbox.clearLog();
			const run = await execute(FLOWS.createTwo);
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('refused');
			expect(`${run.error?.description}`).toMatch(
				/Item 0 \(invoice \d+, Order ID att-new-order\) was carried out before this failure/,
			);
			// Each try evaluates the parameters again: the same execution id on all three.
			const tries = sandbox.log
				.filter((e) => e.endpoint === CREATE_INVOICE)
				.map((e) => [e.fields.OrderId, e.fields.ServiceName]);
			const sameExecution = `Execution ${run.executionId}`;
			expect(tries).toEqual([
				[NEW_ORDER, sameExecution],
				[TAKEN_ORDER.orderId, sameExecution],
				[TAKEN_ORDER.orderId, sameExecution],
				[TAKEN_ORDER.orderId, sameExecution],
			]);
			expect(sandbox.getInvoice(NEW_ORDER)).toMatchObject({ orderId: NEW_ORDER, state: 'Created' });
		});

		test('item 1 with an empty Order ID: nothing is sent for any item, on any try', async () => {
			sandbox.clearLog();
			const run = await execute(FLOWS.createBadInput);
			expect(run.code).not.toBe(0);
			expect(`${run.error?.message}`).toMatch(/Order ID/);
			expect(`${run.error?.description}`).toContain('Nothing was sent for any item');
			expect(sent([CREATE_INVOICE])).toEqual([]);
			expect(sandbox.getInvoice('att-bad-input-0')).toBeUndefined();
		});
	});

	describe('Payout Execute: executeOperation carried out, its answer lost, the state unreadable after', () => {
		test('Retry On Fail (3 tries): executed once; tries 2 and 3 only read; outcome lost', async () => {
			sandbox.clearLog();
			const match = { PayoutOperationId: PAYOUT_ID };
			sandbox.injectFaults({ endpoint: EXECUTE, kind: 'applyThenDrop', match });
			sandbox.injectFaults({ endpoint: PAYOUT_STATE, kind: 'latency', latencyMs: 0, match });
			sandbox.injectFaults({ endpoint: PAYOUT_STATE, kind: 'redirect307', count: 50, match });
			const run = await execute(FLOWS.payout);
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('lost');
			expect(sent([PAYOUT_STATE, EXECUTE])).toEqual([
				[PAYOUT_STATE, 'latency'],
				[EXECUTE, 'applyThenDrop'],
				[PAYOUT_STATE, 'redirect307'],
				[PAYOUT_STATE, 'redirect307'],
				[PAYOUT_STATE, 'redirect307'],
			]);
			expect(sandbox.ledger().payoutExecutions[PAYOUT_ID]).toBe(1);
		});

		test("the operator's re-run while the state is unreadable: not executed again, outcome earlierRun", async () => {
			sandbox.clearLog();
			const run = await execute(FLOWS.payout);
			expect(run.code).not.toBe(0);
			expect(run.error?.context?.outcome).toBe('earlierRun');
			expect(sent([PAYOUT_STATE, EXECUTE])).toEqual([
				[PAYOUT_STATE, 'redirect307'],
				[PAYOUT_STATE, 'redirect307'],
				[PAYOUT_STATE, 'redirect307'],
			]);
			expect(sandbox.ledger().payoutExecutions[PAYOUT_ID]).toBe(1);
		});

		test('a re-run once the state is readable: the node reads InProcess, alreadyDone, executed once', async () => {
			sandbox.clearFaults();
			sandbox.clearLog();
			const run = await execute(FLOWS.payout);
			expect(run.code).toBe(0);
			expect(run.items).toEqual([
				expect.objectContaining({
					payoutOperationId: PAYOUT_ID,
					payoutState: 'InProcess',
					alreadyDone: true,
				}),
			]);
			expect(sent([PAYOUT_STATE, EXECUTE])).toEqual([[PAYOUT_STATE, null]]);
			expect(sandbox.ledger().payoutExecutions[PAYOUT_ID]).toBe(1);
		});
	});
	describe("the editor's Retry of a failed execution (REST POST /rest/executions/:id/retry, n8n start)", () => {
		test('while the reads fail: a new execution (retryOf the first), nothing sent, earlierRun; once healthy: alreadyDone', async () => {
			sandbox.clearLog();
			loseRefundThenReads(RETRIED_INVOICE.invoiceId);
			const first = await execute(FLOWS.refundRetried);
			expect(first.error?.context?.outcome).toBe('lost');
			const server = await startN8nServer(runtime, userFolder, {
				port: await freePort(),
				env: runEnv(),
			});
			try {
				await ensureOwner(server.url, DEMO_OWNER);
				const cookie = await login(server.url, DEMO_OWNER);
				const retry = async () => {
					const answer = await fetch(`${server.url}/rest/executions/${first.executionId}/retry`, {
						method: 'POST',
						headers: { cookie, 'content-type': 'application/json' },
						body: JSON.stringify({ loadWorkflow: false }),
					});
					const retried = /** @type {any} */ (await answer.json()).data;
					return { retried, task: await lastTask(server.url, cookie, retried.id, runtime.n8nBin) };
				};
				sandbox.clearLog();
				const failing = await retry();
				expect(failing.retried).toMatchObject({ retryOf: first.executionId, status: 'error' });
				expect(String(failing.retried.id)).not.toBe(first.executionId);
				expect(failing.task.error?.context?.outcome).toBe('earlierRun');
				// The retry starts at the failed node with its saved input; its 3 tries each read once.
				expect(refundsAndReads()).toEqual(
					[1, 2, 3].map(() => [HISTORY, RETRIED_INVOICE.invoiceId, 'redirect307']),
				);
				sandbox.clearFaults();
				sandbox.clearLog();
				const healthy = await retry();
				expect(healthy.retried).toMatchObject({ retryOf: first.executionId, status: 'success' });
				expect(healthy.task.data.main[0].map((/** @type {any} */ i) => i.json)).toEqual([
					expect.objectContaining({
						invoiceId: RETRIED_INVOICE.invoiceId,
						refunded: true,
						alreadyDone: true,
					}),
				]);
				expect(refundsAndReads()).toEqual([[HISTORY, RETRIED_INVOICE.invoiceId, null]]);
				expect(findLeaks([server.output()], secretsOf(sandbox))).toEqual([]);
			} finally {
				await server.stop();
			}
			expect(sandbox.ledger().refunds[RETRIED_INVOICE.invoiceId]).toBe(1);
		}, 240_000);
	});

	describe('Continue On Fail with Retry On Fail: n8n runs the node again when item 0 comes out as an error item', () => {
		test("item 0's refund lost, item 1's refunded: one refund each; item 1 comes out alreadyDone from the last try", async () => {
			sandbox.clearLog();
			const [lost, ok] = CONTINUE_INVOICES.map((invoice) => invoice.invoiceId);
			loseRefundThenReads(lost);
			const run = await execute(FLOWS.refundContinue);
			expect(run.code).toBe(0);
			expect(run.items).toEqual([
				expect.objectContaining({ outcome: 'lost' }),
				expect.objectContaining({ invoiceId: ok, refunded: true, alreadyDone: true }),
			]);
			// Try 1: both read and refunded (item 0's answer lost, then read again); tries 2 and 3 read
			// item 0 once each and answer item 1 from this execution's memory, sending nothing.
			expect(refundsAndReads()).toEqual([
				[HISTORY, lost, 'latency'],
				[REFUND, lost, 'applyThenDrop'],
				[HISTORY, lost, 'redirect307'],
				[HISTORY, ok, null],
				[REFUND, ok, null],
				[HISTORY, lost, 'redirect307'],
				[HISTORY, lost, 'redirect307'],
			]);
			expect([lost, ok].map((id) => sandbox.ledger().refunds[id])).toEqual([1, 1]);
			sandbox.clearFaults();
		});
	});
});

/**
 * The last run of the IntellectMoney node in a stored execution (n8n stores it "flatted"; read with
 * the n8n install's own copy).
 * @param {string} url @param {string} cookie @param {string | number} executionId @param {string} n8nBin
 */
async function lastTask(url, cookie, executionId, n8nBin) {
	const answer = await fetch(`${url}/rest/executions/${executionId}`, { headers: { cookie } });
	const detail = /** @type {any} */ (await answer.json()).data;
	const { parse } = createRequire(`${path.dirname(path.dirname(n8nBin))}/`)('flatted');
	const runs = parse(detail.data).resultData.runData[IM_NODE] ?? [];
	return runs[runs.length - 1];
}
