// @ts-check
/**
 * End-to-end, the two-stage payment in a real n8n (per line, IM_E2E_LINES): the node creates an invoice
 * with hold whose Result URL is the trigger's production URL; the sandbox pays it (the buyer) and sends
 * the signed "held" notification; the published workflow "Capture when IntellectMoney reports a held
 * payment" (IntellectMoney Trigger, Confirm Invoice ID → Capture by that Invoice ID) starts once and
 * captures the invoice once. IntellectMoney's later "paid" notification and a retried "held" one start
 * nothing. A copy that passes repeats on (as if its records were lost) shows what Capture by Invoice ID
 * makes of a repeat that gets through: a success with `alreadyDone`, nothing captured twice.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
	PROJECT_ROOT,
	startN8nServer,
} from '../../dev/n8n/index.mjs';
import { credentialFor, startSandbox } from '../../dev/sandbox/index.mjs';
import {
	executionsOf,
	importIntoN8n,
	parseRawOutput,
	waitForExecutions,
	waitUntilPublished,
} from '../support/n8n-rest.mjs';

const LINES = /** @type {Array<'2.x' | '1.x'>} */ (
	(process.env.IM_E2E_LINES ?? '2.x,1.x').split(',').map((l) => l.trim())
);
// n8n saves static data only for workflow ids of at most 16 characters on 1.x (21 on 2.x;
// isWorkflowIdValid); a longer one would lose the trigger's record of repeats.
const FLOW_ID = 'imExampleHeldCap';
const PASSING_FLOW_ID = 'imE2eHeldPassOn1';
const PASSING_WEBHOOK_ID = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
const CREATE_ID = 'imE2eCreateHold01';
const ORDER = 'order-7001';
const PASSING_ORDER = 'order-7002';
const CAPTURE = 'merchant/purchaseToPaid';
const TOKEN = 'personal/user/getUserToken';
const INVOICE_LIST = 'personal/payment/getInvoicesHistory';

/** @param {string} name */
const example = (name) =>
	JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples', `${name}.workflow.json`), 'utf8'));

describe.each(LINES)('hold → notification → capture in n8n %s', (lineName) => {
	/** @type {Awaited<ReturnType<typeof ensureN8n>>} */
	let runtime;
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {Awaited<ReturnType<typeof startN8nServer>>} */
	let server;
	/** @type {import('../support/n8n-rest.mjs').N8nSession} */
	let session;
	/** @type {string} */
	let userFolder;
	/** @type {string} */
	let webhookUrl;
	/** @type {string} */
	let passingUrl;
	/** @type {string} */
	let invoiceId;
	/** @type {string} */
	let passingInvoiceId;

	beforeAll(async () => {
		runtime = await ensureN8n(lineName);
		// Few retries, so a notification sent before n8n listens does not linger.
		sandbox = await startSandbox({ notificationRetries: 0 });
		userFolder = mkdtempSync(path.join(tmpdir(), `im-e2e-hold-${lineName}-`));
		installPackage(userFolder);

		const flow = example('capture-when-payment-is-held');
		const port = await freePort();
		webhookUrl = `http://127.0.0.1:${port}/webhook/${flow.nodes[0].webhookId}/webhook`;
		// The example with Repeated Notifications → Pass On Marked: a repeat gets through to Capture.
		const passing = example('capture-when-payment-is-held');
		passing.id = PASSING_FLOW_ID;
		passing.name = 'Held payment, repeats passed on (e2e)';
		passing.nodes[0].webhookId = PASSING_WEBHOOK_ID;
		passing.nodes[0].parameters.options.repeatedNotifications = 'passOnMarked';
		passingUrl = `http://127.0.0.1:${port}/webhook/${PASSING_WEBHOOK_ID}/webhook`;
		// The shop's own example, narrowed to two orders whose invoices name a trigger as Result URL.
		const create = example('create-held-invoice');
		create.id = CREATE_ID;
		create.name = 'Create held invoices (e2e)';
		const orders = create.nodes.find((/** @type {any} */ n) => n.name === 'New orders');
		orders.parameters.jsonOutput = JSON.stringify({
			orders: [
				{
					orderId: ORDER,
					total: '3200.00',
					email: 'vera@example.com',
					item: 'Самовар',
					resultUrl: webhookUrl,
				},
				{
					orderId: PASSING_ORDER,
					total: '410.00',
					email: 'gleb@example.com',
					item: 'Чашка',
					resultUrl: passingUrl,
				},
			],
		});
		const createNode = create.nodes.find(
			(/** @type {any} */ n) => n.name === 'Create held invoice',
		);
		createNode.parameters.options.resultUrl = '={{ $json.resultUrl }}';

		await importIntoN8n(runtime, userFolder, {
			credentials: [
				{
					id: 'imSandboxCred01',
					name: 'IntellectMoney sandbox',
					type: 'intellectMoneyApi',
					data: credentialFor(sandbox),
				},
			],
			workflows: [flow, passing, create],
			publish: [FLOW_ID, PASSING_FLOW_ID],
		});

		// The shop creates the invoice (through the node, in n8n) before the buyer pays.
		const created = await n8nCommand(runtime, userFolder, [
			'execute',
			`--id=${CREATE_ID}`,
			'--rawOutput',
		]);
		expect(created.code).toBe(0);
		const run = parseRawOutput(created.stdout);
		const items = run.data.resultData.runData['Create held invoice'][0].data.main[0].map(
			(/** @type {any} */ i) => i.json,
		);
		expect(items).toEqual([
			expect.objectContaining({ orderId: ORDER, holdMode: true, status: 'created' }),
			expect.objectContaining({ orderId: PASSING_ORDER, holdMode: true, status: 'created' }),
		]);
		[invoiceId, passingInvoiceId] = items.map((/** @type {any} */ item) => item.invoiceId);

		server = await startN8nServer(runtime, userFolder, { port });
		await ensureOwner(server.url, DEMO_OWNER);
		session = {
			url: server.url,
			cookie: await login(server.url, DEMO_OWNER),
			lineName,
			n8nBin: runtime.n8nBin,
		};
		await waitUntilPublished(session, FLOW_ID);
		await waitUntilPublished(session, PASSING_FLOW_ID);
	}, 30 * 60_000);

	afterAll(async () => {
		await server?.stop();
		await sandbox?.stop();
		if (userFolder) rmSync(userFolder, { recursive: true, force: true });
	});

	test('the invoice names the trigger as its Result URL and waits, Created, with hold', () => {
		expect(sandbox.getInvoice(invoiceId)).toMatchObject({
			orderId: ORDER,
			state: 'Created',
			holdMode: true,
			resultUrl: webhookUrl,
		});
	});

	test('the buyer pays: "held" is answered OK, the invoice number is confirmed, one execution captures the invoice once', async () => {
		sandbox.clearLog();
		sandbox.payInvoice(invoiceId);
		const held = await sandbox.waitForNotification(
			(n) => n.fields.paymentStatus === '6' && n.fields.orderId === ORDER,
			60_000,
		);
		expect({ status: held.status, body: held.responseBody, ok: held.ok }).toEqual({
			status: 200,
			body: 'OK',
			ok: true,
		});
		const [execution] = await waitForExecutions(session, FLOW_ID, 1);
		expect(execution.status).toBe('success');
		expect(execution.outputs['IntellectMoney Trigger']).toEqual([
			expect.objectContaining({
				event: 'held',
				orderId: ORDER,
				invoiceId,
				amount: '3200.00',
				duplicate: false,
			}),
		]);
		expect(execution.outputs['Capture held payment']).toEqual([
			expect.objectContaining({
				invoiceId,
				captured: true,
				status: 'captured',
				alreadyDone: false,
			}),
		]);
		// The trigger's two signed reads (Confirm Invoice ID), then the one capture.
		expect(
			sandbox.log
				.filter((e) => [TOKEN, INVOICE_LIST, CAPTURE].includes(e.endpoint))
				.map((e) => [e.endpoint, e.signValid, e.verdict, e.fields.InvoiceId ?? null]),
		).toEqual([
			[TOKEN, true, 'accepted', null],
			[INVOICE_LIST, true, 'accepted', invoiceId],
			[CAPTURE, true, 'accepted', invoiceId],
		]);
		expect(sandbox.log.find((e) => e.endpoint === CAPTURE)?.hashValid).toBe(true);
		expect(sandbox.ledger().captures[invoiceId]).toBe(1);
		expect(sandbox.getInvoice(invoiceId)?.state).toBe('Paid');
	});

	test('the later "paid" notification and a retried "held" one are answered OK and start nothing', async () => {
		const paid = await sandbox.waitForNotification(
			(n) => n.fields.paymentStatus === '5' && n.fields.orderId === ORDER,
			60_000,
		);
		expect(paid.ok).toBe(true);
		const heldAgain = await sandbox.sendNotification(webhookUrl, { invoiceId, paymentStatus: 6 });
		expect({ status: heldAgain.status, body: heldAgain.body }).toEqual({ status: 200, body: 'OK' });
		// A forged one is refused; none of the three may start an execution.
		const forged = await sandbox.sendNotification(
			webhookUrl,
			{ invoiceId, paymentStatus: 6 },
			{ forge: 'hash' },
		);
		expect(forged.status).toBe(403);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await executionsOf(session, FLOW_ID)).toHaveLength(1);
		expect(sandbox.ledger().captures[invoiceId]).toBe(1);
	});

	test('a repeat that gets through (Pass On Marked, as if the records were lost) ends as a success with alreadyDone: captured once', async () => {
		sandbox.payInvoice(passingInvoiceId);
		await sandbox.waitForNotification(
			(n) => n.fields.paymentStatus === '5' && n.fields.orderId === PASSING_ORDER,
			60_000,
		);
		const [first] = await waitForExecutions(session, PASSING_FLOW_ID, 1);
		expect(first.outputs['Capture held payment']).toEqual([
			expect.objectContaining({ invoiceId: passingInvoiceId, captured: true, alreadyDone: false }),
		]);

		const repeat = await sandbox.sendNotification(passingUrl, {
			invoiceId: passingInvoiceId,
			paymentStatus: 6,
		});
		expect({ status: repeat.status, body: repeat.body }).toEqual({ status: 200, body: 'OK' });
		const executions = await waitForExecutions(session, PASSING_FLOW_ID, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		expect(executions[1].outputs['IntellectMoney Trigger']).toEqual([
			expect.objectContaining({
				orderId: PASSING_ORDER,
				invoiceId: passingInvoiceId,
				duplicate: true,
			}),
		]);
		expect(executions[1].outputs['Capture held payment']).toEqual([
			expect.objectContaining({ invoiceId: passingInvoiceId, captured: true, alreadyDone: true }),
		]);
		expect(sandbox.ledger().captures[passingInvoiceId]).toBe(1);
	});
});
