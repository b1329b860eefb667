// @ts-check
/**
 * End-to-end: the IntellectMoney Trigger in a real n8n, per supported line (IM_E2E_LINES, default
 * "2.x,1.x"). The package is installed as a community package, a workflow with the trigger is
 * imported and published (activated), `n8n start` serves its production webhook URL, and notifications
 * are POSTed to it as IntellectMoney would. n8n's own execution list is the witness: one execution per
 * verified new notification, none for a forged one or a repeat.
 *
 * "No execution" is proven with a sentinel: after each refused or repeated notification, a fresh valid
 * one is sent; once ITS execution is there, the list must hold exactly the expected ones (executions
 * are created before the `OK` is sent, so an earlier request cannot create one later).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	DEMO_OWNER,
	ensureN8n,
	ensureOwner,
	freePort,
	installPackage,
	login,
	startN8nServer,
} from '../../dev/n8n-runtime.mjs';
import {
	executionsOf,
	importIntoN8n,
	waitForExecutions as waitForFinishedExecutions,
	waitUntilPublished,
} from '../support/n8n-rest.mjs';
import { formBody, notificationFields, SHOP, signed } from '../trigger/support/notifications.mjs';
import { TRIGGER_CREDENTIAL, triggerWorkflow } from '../trigger/support/webhook-harness.mjs';

const LINES = /** @type {Array<'2.x' | '1.x'>} */ (
	(process.env.IM_E2E_LINES ?? '2.x,1.x').split(',').map((l) => l.trim())
);

const WORKFLOW_ID = 'imTriggerE2e0001';
const NO_KEY_WORKFLOW_ID = 'imTriggerNoKey01';
const WEBHOOK_ID = '6a0f2c5e-1b7d-4c3a-9e8f-2d4b6a8c0e11';
const NO_KEY_WEBHOOK_ID = '0d7e3b1a-5c2f-4e6d-8a9b-3c4d5e6f7a80';
const NO_KEY_MESSAGE =
	'The IntellectMoney credential has no Shop Secret Key, so notifications cannot be verified';

/** @param {string} id @param {string} name @param {string} webhookId @param {string} credentialId */
function workflowJson(id, name, webhookId, credentialId) {
	const workflow = /** @type {any} */ (triggerWorkflow({ events: ['held', 'paid'] }));
	workflow.id = id;
	workflow.name = name;
	workflow.nodes[0].webhookId = webhookId;
	workflow.nodes[0].credentials.intellectMoneyApi = { id: credentialId, name: credentialId };
	workflow.settings = { executionOrder: 'v1' };
	return workflow;
}

describe.each(LINES)('IntellectMoney Trigger in n8n %s', (lineName) => {
	/** @type {Awaited<ReturnType<typeof ensureN8n>>} */
	let runtime;
	/** @type {Awaited<ReturnType<typeof startN8nServer>>} */
	let server;
	/** @type {string} */
	let userFolder;
	/** @type {string} */
	let cookie;
	/** @type {string} */
	let webhookUrl;

	beforeAll(async () => {
		runtime = await ensureN8n(lineName);
		userFolder = mkdtempSync(path.join(tmpdir(), `im-e2e-trigger-${lineName}-`));
		installPackage(userFolder);
		await importIntoN8n(runtime, userFolder, {
			credentials: [
				{
					id: 'imTriggerCred001',
					name: 'imTriggerCred001',
					type: 'intellectMoneyApi',
					data: TRIGGER_CREDENTIAL,
				},
				{
					id: 'imTriggerNoKey01',
					name: 'imTriggerNoKey01',
					type: 'intellectMoneyApi',
					data: { ...TRIGGER_CREDENTIAL, shopSecretKey: '' },
				},
			],
			workflows: [
				workflowJson(WORKFLOW_ID, 'IntellectMoney notifications', WEBHOOK_ID, 'imTriggerCred001'),
				workflowJson(
					NO_KEY_WORKFLOW_ID,
					'Notifications without a Shop Secret Key',
					NO_KEY_WEBHOOK_ID,
					'imTriggerNoKey01',
				),
			],
			publish: [WORKFLOW_ID, NO_KEY_WORKFLOW_ID],
		});
		server = await startN8nServer(runtime, userFolder, { port: await freePort() });
		await ensureOwner(server.url, DEMO_OWNER);
		cookie = await login(server.url, DEMO_OWNER);
		webhookUrl = `${server.url}/webhook/${WEBHOOK_ID}/webhook`;
		await waitUntilPublished(session(), WORKFLOW_ID);
	}, 30 * 60_000);

	afterAll(async () => {
		await server?.stop();
		if (userFolder) rmSync(userFolder, { recursive: true, force: true });
	});

	/**
	 * POSTs a form body to a webhook URL.
	 * @param {string} body @param {string} [url]
	 */
	async function post(body, url = webhookUrl) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body,
		});
		return {
			status: response.status,
			contentType: response.headers.get('content-type'),
			body: await response.text(),
		};
	}

	/** The running n8n, for the REST helpers. */
	const session = () => ({ url: server.url, cookie, lineName, n8nBin: runtime.n8nBin });

	/** The trigger's output items of every execution of the workflow, oldest first. */
	async function executionItems(workflowId = WORKFLOW_ID) {
		return (await executionsOf(session(), workflowId)).map((execution) => ({
			status: execution.status,
			items: execution.outputs['IntellectMoney Trigger'] ?? [],
		}));
	}

	/** Waits until the workflow has `count` finished executions; returns them. @param {number} count */
	async function waitForExecutions(count) {
		return (await waitForFinishedExecutions(session(), WORKFLOW_ID, count)).map((execution) => ({
			status: execution.status,
			items: execution.outputs['IntellectMoney Trigger'] ?? [],
		}));
	}

	/** The orderIds of the executions, once there are `count`. @param {number} count */
	async function executedOrders(count) {
		return (await waitForExecutions(count)).map((e) =>
			e.items.map((/** @type {any} */ i) => i.orderId).join(),
		);
	}

	test('the trigger is in n8n’s node list as a trigger, with icon and codex, not as an AI tool', async () => {
		const nodes = /** @type {any[]} */ (
			await (await fetch(`${server.url}/types/nodes.json`, { headers: { cookie } })).json()
		);
		const trigger = nodes.find((n) => n.name === 'n8n-nodes-intellectmoney.intellectMoneyTrigger');
		expect(trigger).toMatchObject({
			displayName: 'IntellectMoney Trigger',
			group: ['trigger'],
			inputs: [],
			webhooks: [expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived' })],
			codex: { categories: ['Finance & Accounting'] },
		});
		expect(trigger.usableAsTool).toBeUndefined();
		const light = typeof trigger.iconUrl === 'string' ? trigger.iconUrl : trigger.iconUrl?.light;
		expect(light).toMatch(/intellectMoney\.svg$/);
		expect(server.output()).not.toMatch(/Unrecognized node type|Error loading package/i);
	});

	test('a verified notification: HTTP 200, exactly "OK" as text/plain, one execution with the item', async () => {
		const answer = await post(formBody(signed(notificationFields({ paymentStatus: '6' }))));
		expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' });
		const [execution] = await waitForExecutions(1);
		expect(execution.status).toBe('success');
		expect(execution.items).toEqual([
			expect.objectContaining({
				event: 'held',
				status: { code: 6, name: 'Held' },
				eshopId: SHOP.eshopId,
				orderId: 'order-42',
				invoiceId: '3000001042',
				amount: '10.00',
				currency: 'TST',
				testMode: true,
				payer: expect.objectContaining({ name: 'Иван', email: 'buyer@example.com' }),
				paidAt: '2025-07-15 18:23:32',
				duplicate: false,
				encoding: 'utf-8',
			}),
		]);
		expect(JSON.stringify(execution.items)).not.toMatch(/"hash"|SHOPSECRET/);
	});

	test('a forged notification: 403, not OK, no execution', async () => {
		const forged = { ...signed(notificationFields({ orderId: 'forged-1' })), hash: '0'.repeat(32) };
		const answer = await post(formBody(forged));
		expect(answer.status).toBe(403);
		expect(answer.body).not.toBe('OK');
		expect(answer.body).toBe('Notification refused: the hash does not match');

		await post(formBody(signed(notificationFields({ orderId: 'sentinel-1' }))));
		expect(await executedOrders(2)).toEqual(['order-42', 'sentinel-1']);
	});

	test('the same notification again (IntellectMoney’s retry): OK, no second execution', async () => {
		const answer = await post(formBody(signed(notificationFields({ paymentStatus: '6' }))));
		expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' });

		await post(formBody(signed(notificationFields({ orderId: 'sentinel-2' }))));
		expect(await executedOrders(3)).toEqual(['order-42', 'sentinel-1', 'sentinel-2']);
	});

	test('a windows-1251 body (older shops) verifies from the raw bytes; one declared charset=windows-1251 is refused by n8n itself', async () => {
		const fields = signed(notificationFields({ orderId: 'cp1251-1' }), {
			encoding: 'windows-1251',
		});
		const body = formBody(fields, 'windows-1251');
		const declared = await fetch(webhookUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded; charset=windows-1251' },
			body,
		});
		// n8n's body parser cannot decode that charset and answers before any node runs.
		expect(declared.status).toBe(422);
		expect(await declared.text()).not.toBe('OK');

		const answer = await post(body);
		expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' });
		const executions = await waitForExecutions(4);
		expect(executions.map((e) => e.items.map((/** @type {any} */ i) => i.orderId).join())).toEqual([
			'order-42',
			'sentinel-1',
			'sentinel-2',
			'cp1251-1',
		]);
		expect(executions[3].items[0]).toMatchObject({
			payer: { name: 'Иван' },
			encoding: 'windows-1251',
		});
	});

	test('a workflow whose credential has no Shop Secret Key fails to publish with the reason; its URL never answers OK', async () => {
		const noKeyUrl = `${server.url}/webhook/${NO_KEY_WEBHOOK_ID}/webhook`;
		const attempt = formBody(signed(notificationFields({ orderId: 'no-key-1' }), { secret: '' }));
		// n8n 2.41.1 retries a failed activation 5 times (about 15 s) and keeps the URL registered
		// meanwhile: the node's own check refuses it then (403); afterwards n8n knows no such URL (404).
		const duringRetries = await post(attempt, noKeyUrl);
		expect([403, 404]).toContain(duringRetries.status);
		expect(duringRetries.body).not.toBe('OK');

		// 2.x reports it in the publication status (after its retries); 1.x as the activation error.
		const statusPath =
			lineName === '2.x'
				? `/rest/workflows/${NO_KEY_WORKFLOW_ID}/publication-status`
				: `/rest/active-workflows/error/${NO_KEY_WORKFLOW_ID}`;
		const deadline = Date.now() + 90_000;
		/** @type {any} */
		let status;
		for (;;) {
			const response = await fetch(`${server.url}${statusPath}`, { headers: { cookie } });
			status = /** @type {any} */ (await response.json()).data;
			const settled = lineName === '2.x' ? status?.status !== 'in_progress' : Boolean(status);
			if (settled || Date.now() > deadline) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		expect(JSON.stringify(status)).toContain(NO_KEY_MESSAGE);

		const afterwards = await post(attempt, noKeyUrl);
		expect(afterwards.status).toBeGreaterThanOrEqual(400);
		expect(afterwards.status).toBeLessThan(500);
		expect(afterwards.body).not.toBe('OK');
		expect(await executionItems(NO_KEY_WORKFLOW_ID)).toEqual([]);
	}, 150_000);
});
