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
const HISTORY = 'personal/payment/getInvoicesHistory';
const ACCOUNT = 'personal/payment/getAccountData';
const MOSCOW_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;
const WRONG_SIGN_KEY = 'WRONG-SIGN-KEY-e2e-7731';

/** @param {string} name */
const example = (name) =>
	JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples', `${name}.workflow.json`), 'utf8'));

/** Output items of a node in `n8n execute --rawOutput` run data, per output. @param {any} run @param {string} node */
const outputsOf = (run, node) =>
	/** @type {any[][]} */ (run?.data?.resultData?.runData?.[node]?.[0]?.data?.main ?? []).map(
		(output) => output ?? [],
	);
/** Output items (json) of a node in `n8n execute --rawOutput` run data. @param {any} run @param {string} node */
const itemsOf = (run, node) =>
	outputsOf(run, node).map((output) => output.map((/** @type {any} */ item) => item.json));

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
				example('holds-about-to-expire'),
				wrongKey,
				httpRequestWithCredential(sandbox.url),
			],
		});
	}, 30 * 60_000);

	afterAll(async () => {
		await sandbox?.stop();
		if (userFolder) rmSync(userFolder, { recursive: true, force: true });
	});

	/** `n8n execute` of an imported workflow, its run data printed raw. @param {string} id */
	const execute = async (id) =>
		await n8nCommand(runtime, userFolder, ['execute', `--id=${id}`, '--rawOutput']);
	/** execute, which must succeed; its run data. @param {string} id */
	const executeOk = async (id) => {
		const result = await execute(id);
		expect(result.code).toBe(0);
		return parseRawOutput(result.stdout);
	};

	test('"Capture purchase when an order ships": both held purchases captured, one signed request each', async () => {
		sandbox.clearLog();
		const [items] = itemsOf(await executeOk('imExampleCapture1'), 'Capture purchase');
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
		const run = await executeOk('imExamplePayout01');
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
		const [items] = itemsOf(await executeOk('imExampleInvoice1'), 'Create held invoice');
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
		const [items] = itemsOf(await executeOk('imExampleRelease1'), 'Release or refund');
		expect(items).toEqual([
			expect.objectContaining({ orderId: 'order-1003', refunded: true, status: 'refunded' }),
		]);
		expect(sandbox.log.map((e) => [e.endpoint, e.signValid, e.hashValid, e.verdict])).toEqual([
			[REFUND, true, true, 'accepted'],
		]);
		expect(sandbox.getInvoice('order-1003')?.state).toBe('Refund');
	});

	test('"Capture or release holds about to expire": the shipped one captured, the other released, a summary', async () => {
		sandbox.clearLog();
		const started = Date.now();
		const run = await executeOk('imExampleExpiry1');
		// The demo's holds paid 66 and 69 hours ago end within 12 hours (72-hour holds); those paid 29
		// and 48 hours ago do not. One input item, so every listed invoice is paired with it.
		const [listed] = outputsOf(run, 'Holds expiring within 12 hours');
		expect(listed.map((/** @type {any} */ item) => [item.json.orderId, item.pairedItem])).toEqual([
			['order-1005', { item: 0 }],
			['order-1006', { item: 0 }],
		]);
		for (const { json } of listed) {
			expect(json).toMatchObject({
				state: 'Held',
				held: true,
				holdStartedFrom: 'payment',
				holdStartedAt: expect.stringMatching(MOSCOW_ISO),
				holdExpiresAt: expect.stringMatching(MOSCOW_ISO),
				createdAt: expect.stringMatching(MOSCOW_ISO),
			});
			const hoursLeft = (Date.parse(json.holdExpiresAt) - started) / 3_600_000;
			expect(hoursLeft).toBeGreaterThan(0);
			expect(hoursLeft).toBeLessThan(12);
		}
		const [shipped, release, unknown] = itemsOf(run, 'What to do');
		expect([shipped, release, unknown].map((items) => items.map((i) => i.orderId))).toEqual([
			['order-1005'],
			['order-1006'],
			[],
		]);
		const [captured] = itemsOf(run, 'Capture shipped order');
		expect(captured).toEqual([
			expect.objectContaining({ invoiceId: '3000001005', captured: true, alreadyDone: false }),
		]);
		const [released] = itemsOf(run, 'Release unshipped hold');
		expect(released).toEqual([
			expect.objectContaining({ invoiceId: '3000001006', refunded: true, alreadyDone: false }),
		]);
		const [[summary]] = itemsOf(run, 'Post summary');
		expect(summary).toEqual({
			captured: 1,
			released: 1,
			failed: 0,
			checkByHand: 0,
			text: 'Holds expiring within 12 hours: 1 captured, 1 released, 0 failed, 0 to check by hand.',
		});
		// The list (one page and the empty one that ends it), searched from 120 hours back in Moscow time.
		// (Release reads its invoice first: a getInvoicesHistory with InvoiceId.)
		const listPages = sandbox.log.filter(
			(e) => e.endpoint === HISTORY && e.fields.InvoiceId === undefined,
		);
		/** @param {any} entry */
		const pageLength = (entry) => entry.response.Result.InvoicesHistoryList.length;
		expect(listPages.map((e) => [e.fields.Skip, e.fields.Take, pageLength(e) > 0])).toEqual([
			['0', '100', true],
			[String(pageLength(listPages[0])), '100', false],
		]);
		const changedFrom = Date.parse(`${listPages[0].fields.ChangeDateFrom.replace(' ', 'T')}+03:00`);
		expect(Math.abs(started - 120 * 3_600_000 - changedFrom)).toBeLessThan(5 * 60_000);
		// Money moved once each, through Capture and Release (which reads the invoice first).
		expect(
			sandbox.log.filter((e) => e.endpoint === CAPTURE).map((e) => e.fields.InvoiceId),
		).toEqual(['3000001005']);
		expect(sandbox.log.filter((e) => e.endpoint === REFUND).map((e) => e.fields.InvoiceId)).toEqual(
			['3000001006'],
		);
		expect(sandbox.ledger().captures['3000001005']).toBe(1);
		expect(sandbox.ledger().refunds['3000001006']).toBe(1);
		expect(sandbox.log.every((e) => e.signValid === true && e.verdict === 'accepted')).toBe(true);
	});

	test('"Pay out to sellers at month end": created, executed once each, waited until completed', async () => {
		sandbox.clearLog();
		const run = await executeOk('imExamplePayout02');
		// The balance first: 50,000.00 covers the batch of 3,700.00.
		expect(itemsOf(run, 'Account balance')).toEqual([
			[
				{
					accountId: '1234567',
					balance: '50000.00',
					currency: 'RUB',
					balanceOn: expect.stringMatching(MOSCOW_ISO),
					testMode: false,
				},
			],
		]);
		expect(itemsOf(run, 'Balance covers the batch?').map((items) => items.length)).toEqual([1, 0]);
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
		// One user token per node run (Balance, Create, Execute), one create and one execute per seller.
		expect(calls.slice(0, 2)).toEqual([TOKEN, ACCOUNT]);
		expect(calls.filter((c) => c === TOKEN)).toHaveLength(3);
		expect(calls.filter((c) => c === CREATE_PAYOUT)).toHaveLength(2);
		expect(calls.filter((c) => c === EXECUTE)).toHaveLength(2);
		expect(calls.filter((c) => c === PAYOUT_STATE).length).toBeGreaterThanOrEqual(6);
		expect(sandbox.log.every((e) => e.signValid === true && e.verdict === 'accepted')).toBe(true);
	});

	test('"Pay out to sellers at month end" stops with a clear message when the balance does not cover the batch', async () => {
		sandbox.setAccountBalance('1234567', '3699.99');
		sandbox.clearLog();
		try {
			const result = await execute('imExamplePayout02');
			expect(result.code).not.toBe(0);
			expect(`${result.stdout}\n${result.stderr}`).toContain(
				'The balance of account 1234567 is 3699.99 RUB, less than the batch of 3700.00: no payout was created.',
			);
			// Read, and nothing else: no payout created or executed.
			expect(sandbox.log.map((e) => [e.endpoint, e.verdict])).toEqual([
				[TOKEN, 'accepted'],
				[ACCOUNT, 'accepted'],
			]);
		} finally {
			sandbox.setAccountBalance('1234567', '50000.00');
		}
	});

	test('"Check an invoice and a payout before acting": states read, a not-yet-held invoice is not captured', async () => {
		sandbox.clearLog();
		const run = await executeOk('imExampleCheck01');
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
		const result = await execute('imE2eWrongKey001');
		expect(result.code).not.toBe(0);
		const output = `${result.stdout}\n${result.stderr}`;
		expect(output).toContain(
			'Signature refused: check the Sign Secret Key. IntellectMoney says: Неверная подпись запроса (Sign) [item 0]',
		);
		expect(sandbox.log.map((e) => [e.endpoint, e.signValid, e.verdict])).toEqual([
			[CAPTURE, false, 'refused'],
		]);
		expect(findLeaks([output], secretsOf(sandbox, [{ signSecretKey: WRONG_SIGN_KEY }]))).toEqual(
			[],
		);
	});

	test('an HTTP Request node with the IntellectMoney credential sends nothing', async () => {
		sandbox.clearLog();
		const result = await execute('imHttpRequest001');
		expect(result.code).not.toBe(0);
		const output = `${result.stdout}\n${result.stderr}`;
		// 2.x: the credential's restrictToSupportedNodes; 1.x does not know it, and the credential refuses
		// to sign a request that is not one of the node's.
		expect(output).toMatch(
			lineName === '2.x'
				? /Credential type "intellectMoneyApi" is restricted to specific nodes/
				: /The IntellectMoney credential signs only the IntellectMoney node's own requests; nothing was sent/,
		);
		expect(sandbox.log).toEqual([]);
		expect(findLeaks([output], secretsOf(sandbox))).toEqual([]);
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
			// No "Custom API Call": n8n would add it to Resource and Operation (an HTTP Request node with
			// this credential, skipping the node's at-most-once checks).
			const choices = node.properties
				.filter((/** @type {any} */ p) => p.name === 'resource' || p.name === 'operation')
				.flatMap((/** @type {any} */ p) => p.options.map((/** @type {any} */ o) => o.value));
			expect(choices).toEqual(expect.arrayContaining(['purchase', 'payout', 'capture', 'execute']));
			expect(choices).not.toContain('__CUSTOM_API_CALL__');
			expect(node.documentationUrl).toMatch(/^https:\/\/github\.com\/.+#operations$/);

			// The credential test through n8n's own tester (REST, as the editor's Test button): it passes,
			// and a wrong password fails naming the field IntellectMoney names.
			const testCredential = async (/** @type {Record<string, unknown>} */ data) => {
				const answer = await fetch(`${server.url}/rest/credentials/test`, {
					method: 'POST',
					headers: { ...headers, 'content-type': 'application/json' },
					body: JSON.stringify({
						credentials: {
							id: 'imSandboxCred01',
							name: 'IntellectMoney sandbox',
							type: 'intellectMoneyApi',
							data,
						},
					}),
				});
				return /** @type {any} */ (await answer.json()).data;
			};
			const sandboxData = credentialFor(sandbox);
			expect(await testCredential(sandboxData)).toMatchObject({ status: 'OK' });
			expect(await testCredential({ ...sandboxData, password: 'wrong-password' })).toEqual({
				status: 'Error',
				message:
					'IntellectMoney refused the Login (its answer names Login): check Login and Password',
			});
			expect(server.output()).not.toMatch(/Unrecognized node type|Error loading package/i);
		} finally {
			await server.stop();
		}
	}, 240_000);
});

/**
 * A workflow whose HTTP Request node tries a capture with the IntellectMoney credential (what n8n's
 * Custom API Call would build).
 * @param {string} sandboxUrl
 */
function httpRequestWithCredential(sandboxUrl) {
	return {
		id: 'imHttpRequest001',
		name: 'HTTP Request with the IntellectMoney credential',
		active: false,
		settings: {},
		connections: { Start: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 'b6a1c2d3-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b6a1c2d3-0000-4000-8000-000000000002',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: new URL('merchant/purchaseToPaid', sandboxUrl).href,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'intellectMoneyApi',
					sendBody: true,
					contentType: 'form-urlencoded',
					bodyParameters: {
						parameters: [
							{ name: 'EshopId', value: '450000' },
							{ name: 'OrderId', value: 'order-1003' },
						],
					},
					options: {},
				},
				credentials: {
					intellectMoneyApi: { id: 'imSandboxCred01', name: 'IntellectMoney sandbox' },
				},
			},
		],
	};
}

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
						'Capture or release holds about to expire',
						'Capture purchase when an order ships',
						'Capture when IntellectMoney reports a held payment',
						'Capture when IntellectMoney reports a held payment (queue mode: answer after the capture)',
						'Check an invoice and a payout before acting',
						'Check my IntellectMoney setup (read-only)',
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
