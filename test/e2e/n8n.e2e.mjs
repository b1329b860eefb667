// @ts-check
/**
 * End-to-end: the package in a real n8n, per supported n8n line (IM_E2E_LINES, default "2.x,1.x").
 * n8n loads it from `<user folder>/.n8n/nodes/node_modules` as a community package, decrypts the
 * credential, runs `authenticate`, and executes the example workflows with `n8n execute` against the
 * sandbox. The sandbox's log is the witness: exactly one signed request per item.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
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
import { credentialFor, seedDemoData, startSandbox } from '../../dev/sandbox/index.mjs';
import { findLeaks, secretsOf } from '../support/harness.mjs';
import { importIntoN8n, parseRawOutput } from '../support/n8n-rest.mjs';

const LINES = /** @type {Array<'2.x' | '1.x'>} */ (
	(process.env.IM_E2E_LINES ?? '2.x,1.x').split(',').map((l) => l.trim())
);
const CAPTURE = 'merchant/purchaseToPaid';
const TOKEN = 'personal/user/getUserToken';
const EXECUTE = 'personal/payout/executeOperation';
const CREATE_INVOICE = 'merchant/createInvoice';
const REFUND = 'merchant/purchaseToRefund';
const CREATE_PAYOUT = 'personal/payout/createOperation';
const PAYOUT_STATE = 'personal/payout/getOperationState';
const WRONG_SIGN_KEY = 'WRONG-SIGN-KEY-e2e-7731';

/** @param {string} name */
const example = (name) =>
	JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples', `${name}.workflow.json`), 'utf8'));

/** Output items (json) of a node in `n8n execute --rawOutput` run data. @param {any} run @param {string} node */
const itemsOf = (run, node) =>
	(run?.data?.resultData?.runData?.[node]?.[0]?.data?.main ?? []).map(
		(/** @type {any[]} */ output) => (output ?? []).map((item) => item.json),
	);

describe.each(LINES)('n8n %s', (lineName) => {
	/** @type {Awaited<ReturnType<typeof ensureN8n>>} */
	let runtime;
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {string} */
	let userFolder;

	beforeAll(async () => {
		runtime = await ensureN8n(lineName);
		userFolder = mkdtempSync(path.join(tmpdir(), `im-e2e-${lineName}-`));
		installPackage(userFolder);
		sandbox = await startSandbox();
		seedDemoData(sandbox);

		const data = credentialFor(sandbox);
		const wrongKey = example('capture-purchase-when-order-ships');
		wrongKey.id = 'imE2eWrongKey001';
		wrongKey.name = 'Capture with a wrong Sign Secret Key';
		for (const node of wrongKey.nodes) {
			if (node.credentials)
				node.credentials.intellectMoneyApi = {
					id: 'imWrongKeyCred01',
					name: 'IntellectMoney wrong key',
				};
		}
		await importIntoN8n(runtime, userFolder, {
			credentials: [
				{ id: 'imSandboxCred01', name: 'IntellectMoney sandbox', type: 'intellectMoneyApi', data },
				{
					id: 'imWrongKeyCred01',
					name: 'IntellectMoney wrong key',
					type: 'intellectMoneyApi',
					data: { ...data, signSecretKey: WRONG_SIGN_KEY },
				},
			],
			workflows: [
				example('capture-purchase-when-order-ships'),
				example('execute-approved-payout'),
				example('create-held-invoice'),
				example('release-cancelled-order'),
				example('pay-out-to-sellers'),
				example('check-before-acting'),
				wrongKey,
			],
		});
	}, 30 * 60_000);

	afterAll(async () => {
		await sandbox?.stop();
		if (userFolder) rmSync(userFolder, { recursive: true, force: true });
	});

	test('"Capture purchase when an order ships": both held purchases captured, one signed request each', async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imExampleCapture1',
			'--rawOutput',
		]);
		expect(result.code).toBe(0);
		const [items] = itemsOf(parseRawOutput(result.stdout), 'Capture purchase');
		expect(items).toEqual(
			['order-1001', 'order-1002'].map((orderId, index) => ({
				eshopId: '450000',
				orderId,
				invoiceId: `300000100${index + 1}`,
				captured: true,
				status: 'captured',
				state: { code: 0, description: 'Успешно обработан' },
				operationState: { code: 0, description: 'Успешно обработана' },
				operationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
				warning: null,
				alreadyDone: false,
				testMode: false,
			})),
		);
		expect(
			sandbox.log.map((e) => [
				e.endpoint,
				e.fields.OrderId,
				e.authValid,
				e.signValid,
				e.hashValid,
				e.verdict,
			]),
		).toEqual([
			[CAPTURE, 'order-1001', true, true, true, 'accepted'],
			[CAPTURE, 'order-1002', true, true, true, 'accepted'],
		]);
		expect(sandbox.ledger().captures).toMatchObject({ 3000001001: 1, 3000001002: 1 });
	});

	test('"Execute approved payout": one token, one execute per payout, the failed one routed by IF', async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imExamplePayout01',
			'--rawOutput',
		]);
		expect(result.code).toBe(0);
		const run = parseRawOutput(result.stdout);
		const [items] = itemsOf(run, 'Execute payout');
		expect(items).toEqual([
			expect.objectContaining({
				payoutOperationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
				payoutState: 'InProcess',
				failed: false,
				errorMessage: null,
				status: 'processing',
				state: { code: 0, description: 'Успешно обработан' },
			}),
			expect.objectContaining({
				payoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
				payoutState: 'Failed',
				failed: true,
				errorMessage: 'Платеж не прошел в банке',
				status: 'failed',
			}),
		]);
		const [failedBranch, okBranch] = itemsOf(run, 'Payout failed?');
		expect(failedBranch.map((/** @type {any} */ i) => i.payoutOperationId)).toEqual([
			'5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
		]);
		expect(okBranch.map((/** @type {any} */ i) => i.payoutOperationId)).toEqual([
			'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
		]);
		// Each payout is read before it is executed (a re-run must not pay twice), then executed once.
		expect(sandbox.log.map((e) => [e.endpoint, e.signValid, e.verdict])).toEqual([
			[TOKEN, true, 'accepted'],
			[PAYOUT_STATE, true, 'accepted'],
			[EXECUTE, true, 'accepted'],
			[PAYOUT_STATE, true, 'accepted'],
			[EXECUTE, true, 'accepted'],
		]);
	});

	test('"Create held invoices for new orders": two signed invoices with hold, payment pages out', async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imExampleInvoice1',
			'--rawOutput',
		]);
		expect(result.code).toBe(0);
		const [items] = itemsOf(parseRawOutput(result.stdout), 'Create held invoice');
		expect(items).toEqual(
			[
				['order-2001', '1500.00'],
				['order-2002', '780.50'],
			].map(([orderId, amount]) =>
				expect.objectContaining({
					orderId,
					amount,
					currency: 'RUB',
					holdMode: true,
					holdTimeHours: 72,
					status: 'created',
					invoiceId: expect.stringMatching(/^3\d{9}$/),
					paymentUrl: expect.stringMatching(
						/^https:\/\/merchant\.intellectmoney\.ru\/\?InvoiceId=3\d{9}$/,
					),
					testMode: false,
				}),
			),
		);
		expect(
			sandbox.log.map((e) => [e.endpoint, e.fields.HoldMode, e.signValid, e.hashValid, e.verdict]),
		).toEqual([
			[CREATE_INVOICE, '1', true, true, 'accepted'],
			[CREATE_INVOICE, '1', true, true, 'accepted'],
		]);
		expect(sandbox.getInvoice('order-2001')).toMatchObject({ state: 'Created', holdMode: true });
	});

	test('"Release the hold of a cancelled order": one signed purchaseToRefund, the invoice ends Refund', async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imExampleRelease1',
			'--rawOutput',
		]);
		expect(result.code).toBe(0);
		const [items] = itemsOf(parseRawOutput(result.stdout), 'Release or refund');
		expect(items).toEqual([
			expect.objectContaining({ orderId: 'order-1003', refunded: true, status: 'refunded' }),
		]);
		expect(sandbox.log.map((e) => [e.endpoint, e.signValid, e.hashValid, e.verdict])).toEqual([
			[REFUND, true, true, 'accepted'],
		]);
		expect(sandbox.getInvoice('order-1003')?.state).toBe('Refund');
	});

	test('"Pay out to sellers at month end": created, executed once each, waited until completed', async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imExamplePayout02',
			'--rawOutput',
		]);
		expect(result.code).toBe(0);
		const run = parseRawOutput(result.stdout);
		const [created] = itemsOf(run, 'Create payout');
		expect(created.map((/** @type {any} */ i) => [i.status, i.recipient, i.amount])).toEqual([
			['created', '+7******4567', '2500.00'],
			['created', '+7******4321', '1200.00'],
		]);
		const [executed] = itemsOf(run, 'Execute and wait');
		expect(
			executed.map((/** @type {any} */ i) => [i.status, i.payoutState, i.final, i.waitTimedOut]),
		).toEqual([
			['completed', 'Completed', true, false],
			['completed', 'Completed', true, false],
		]);
		const calls = sandbox.log.map((e) => e.endpoint);
		// One user token per node run (Create, then Execute), one create and one execute per seller.
		expect(calls.filter((c) => c === TOKEN)).toHaveLength(2);
		expect(calls.filter((c) => c === CREATE_PAYOUT)).toHaveLength(2);
		expect(calls.filter((c) => c === EXECUTE)).toHaveLength(2);
		expect(calls.filter((c) => c === PAYOUT_STATE).length).toBeGreaterThanOrEqual(6);
		expect(sandbox.log.every((e) => e.signValid === true && e.verdict === 'accepted')).toBe(true);
	});

	test('"Check an invoice and a payout before acting": states read, a not-yet-held invoice is not captured', async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imExampleCheck01',
			'--rawOutput',
		]);
		expect(result.code).toBe(0);
		const run = parseRawOutput(result.stdout);
		const [invoice] = itemsOf(run, 'Get invoice state');
		expect(invoice).toEqual([
			expect.objectContaining({
				invoiceId: '3000001004',
				orderId: 'order-1004',
				state: 'Created',
				held: false,
				testMode: false,
			}),
		]);
		const [payout] = itemsOf(run, 'Get payout state');
		expect(payout).toEqual([
			expect.objectContaining({
				payoutOperationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
				payoutState: expect.stringMatching(/^(Created|InProcess)$/),
				final: false,
			}),
		]);
		const [held, notHeld] = itemsOf(run, 'Held?');
		expect([held.length, notHeld.length]).toEqual([0, 1]);
		expect(itemsOf(run, 'Capture held invoice')).toEqual([]);
		expect(sandbox.log.some((e) => e.endpoint === CAPTURE)).toBe(false);
	});

	test('a wrong Sign Secret Key fails with IntellectMoney’s message, and no key appears in the output', async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imE2eWrongKey001',
			'--rawOutput',
		]);
		expect(result.code).not.toBe(0);
		const output = `${result.stdout}\n${result.stderr}`;
		expect(output).toContain(
			'IntellectMoney refused the request: Неверная подпись запроса (Sign) [item 0]',
		);
		expect(sandbox.log.map((e) => [e.endpoint, e.signValid, e.verdict])).toEqual([
			[CAPTURE, false, 'refused'],
		]);
		expect(findLeaks([output], secretsOf(sandbox, [{ signSecretKey: WRONG_SIGN_KEY }]))).toEqual(
			[],
		);
	});

	test('the node and its credential are in n8n’s lists, with icon and codex', async () => {
		const server = await startN8nServer(runtime, userFolder, { port: await freePort() });
		try {
			await ensureOwner(server.url, DEMO_OWNER);
			const headers = { cookie: await login(server.url, DEMO_OWNER) };
			const nodes = /** @type {any[]} */ (
				await (await fetch(`${server.url}/types/nodes.json`, { headers })).json()
			);
			const node = nodes.find((n) => n.name === 'n8n-nodes-intellectmoney.intellectMoney');
			expect(node).toMatchObject({
				displayName: 'IntellectMoney',
				usableAsTool: true,
				codex: { categories: ['Finance & Accounting'] },
			});
			const light = typeof node.iconUrl === 'string' ? node.iconUrl : node.iconUrl?.light;
			expect(light).toMatch(/intellectMoney\.svg$/);
			const icon = await fetch(`${server.url}/${light}`, { headers });
			expect(icon.status).toBe(200);
			expect(await icon.text()).toContain('<svg');
			const credentials = /** @type {any[]} */ (
				await (await fetch(`${server.url}/types/credentials.json`, { headers })).json()
			);
			expect(credentials.find((c) => c.name === 'intellectMoneyApi')).toMatchObject({
				displayName: 'IntellectMoney API',
			});
			expect(server.output()).not.toMatch(/Unrecognized node type|Error loading package/i);
		} finally {
			await server.stop();
		}
	}, 240_000);
});

describe('npm start (main job)', () => {
	test(
		'brings up n8n 2.x with the package, the owner login and the example workflows',
		async () => {
			const userFolder = mkdtempSync(path.join(tmpdir(), 'im-e2e-start-'));
			try {
				const output = await new Promise((resolve, reject) => {
					const child = spawn(
						process.execPath,
						[path.join(PROJECT_ROOT, 'dev', 'n8n', 'start.mjs'), '--exit-when-ready'],
						{
							env: { ...process.env, IM_N8N_USER_FOLDER: userFolder },
							stdio: ['ignore', 'pipe', 'pipe'],
						},
					);
					let text = '';
					child.stdout.on('data', (chunk) => (text += chunk));
					child.stderr.on('data', (chunk) => (text += chunk));
					child.on('error', reject);
					child.on('close', (code) =>
						code === 0 ? resolve(text) : reject(new Error(`exit ${code}:\n${text}`)),
					);
				});
				const ready = /** @type {string} */ (output)
					.split('\n')
					.find((line) => line.startsWith('READY '));
				expect(JSON.parse(String(ready).slice('READY '.length))).toEqual({
					login: 'ok',
					workflows: [
						'Capture a held purchase, then pay out to the seller',
						'Capture purchase when an order ships',
						'Capture when IntellectMoney reports a held payment',
						'Capture when IntellectMoney reports a held payment (queue mode: answer after the capture)',
						'Check an invoice and a payout before acting',
						'Create held invoices for new orders',
						'Execute approved payout',
						'Pay out to sellers at month end',
						'Release the hold of a cancelled order',
					],
				});
				expect(output).toContain('Login:              operator@example.com / Sandbox-Passw0rd');
			} finally {
				rmSync(userFolder, { recursive: true, force: true });
			}
		},
		30 * 60_000,
	);
});
