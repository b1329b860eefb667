// @ts-check
/**
 * End-to-end: the IntellectMoney Trigger in a real n8n, per supported line (IM_E2E_LINES, default
 * "2.x,1.x"). The package is installed as a community package, workflows with the trigger are
 * imported and published (activated), `n8n start` serves their production webhook URLs, and
 * notifications are POSTed to them as IntellectMoney would. n8n's own execution list is the witness:
 * one execution per verified new notification, none for a forged one, an old one or a repeat (of the
 * 1st, 2nd, 10th and 100th notification); after n8n restarts a repeat starts an execution whose
 * trigger puts out no item (n8n's deduplication store recognised it), so nothing after it runs.
 *
 * "No execution" is proven with a sentinel: after each refused or repeated notification, a fresh valid
 * one is sent; once ITS execution is there, the list must hold exactly the expected ones (requests are
 * sent one after another, and n8n starts each execution while it handles its request, so an earlier
 * request cannot create one later).
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
	PROJECT_ROOT,
	startN8nServer,
} from '../../dev/n8n/index.mjs';
import {
	executionsOf,
	importIntoN8n,
	waitForExecutions as waitForFinishedExecutions,
	waitUntilPublished,
} from '../support/n8n-rest.mjs';
import {
	formBody,
	notificationFields,
	SHOP,
	signed,
	VECTOR_8,
} from '../trigger/support/notifications.mjs';
import {
	TRIGGER_CREDENTIAL,
	triggerWorkflow,
	withDownstream,
} from '../trigger/support/webhook-harness.mjs';

const LINES = /** @type {Array<'2.x' | '1.x'>} */ (
	(process.env.IM_E2E_LINES ?? '2.x,1.x').split(',').map((l) => l.trim())
);

const WORKFLOW_ID = 'imTriggerE2e0001';
const NO_KEY_WORKFLOW_ID = 'imTriggerNoKey01';
const REPEATS_WORKFLOW_ID = 'imTriggerRepeat1';
const WEBHOOK_ID = '6a0f2c5e-1b7d-4c3a-9e8f-2d4b6a8c0e11';
const NO_KEY_WEBHOOK_ID = '0d7e3b1a-5c2f-4e6d-8a9b-3c4d5e6f7a80';
const REPEATS_WEBHOOK_ID = '9c2d4e6f-8a0b-4c1d-9e2f-3a4b5c6d7e8f';
const ANSWER_WORKFLOW_ID = 'imTriggerAnswer1';
const ANSWER_FAILS_WORKFLOW_ID = 'imTriggerAnsFail';
const ANSWER_WEBHOOK_ID = '4b7e1c9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const ANSWER_FAILS_WEBHOOK_ID = '5c8f2d0b-3e4a-4b6c-9d7e-8f9a0b1c2d3e';
const DISTINCT_NOTIFICATIONS = 100;
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

/** The Respond to Webhook node of the held-payment example for queue mode, as operators get it. */
const RESPOND_OK = JSON.parse(
	readFileSync(
		path.join(PROJECT_ROOT, 'examples', 'capture-when-payment-is-held-queue-mode.workflow.json'),
		'utf8',
	),
).nodes.find((/** @type {any} */ node) => node.type === 'n8n-nodes-base.respondToWebhook');

/**
 * A workflow whose trigger answers OK after the workflow (Options → Answer OK → When Respond to
 * Webhook Answers): the trigger, then `between`, then the example's Respond to Webhook node.
 * @param {string} id @param {string} name @param {string} webhookId @param {any[]} [between]
 */
function answeringAfterWorkflow(id, name, webhookId, between = []) {
	const workflow = workflowJson(id, name, webhookId, 'imTriggerCred001');
	workflow.nodes[0].parameters = {
		events: ['held', 'paid'],
		options: { answerOk: 'respondToWebhook' },
	};
	return withDownstream(workflow, [...between, RESPOND_OK]);
}

/** A node that fails the execution before the Respond to Webhook node runs. */
const FAIL_ON_PURPOSE = {
	id: 'c1d2e3f4-0000-4000-8000-0000000000f1',
	name: 'Fail on purpose',
	type: 'n8n-nodes-base.stopAndError',
	typeVersion: 1,
	position: [220, 200],
	parameters: { errorMessage: 'Stopped on purpose' },
};

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
				workflowJson(
					REPEATS_WORKFLOW_ID,
					'Repeated notifications',
					REPEATS_WEBHOOK_ID,
					'imTriggerCred001',
				),
				answeringAfterWorkflow(ANSWER_WORKFLOW_ID, 'OK after the workflow', ANSWER_WEBHOOK_ID),
				answeringAfterWorkflow(
					ANSWER_FAILS_WORKFLOW_ID,
					'OK after a workflow that fails',
					ANSWER_FAILS_WEBHOOK_ID,
					[FAIL_ON_PURPOSE],
				),
			],
			publish: [
				WORKFLOW_ID,
				NO_KEY_WORKFLOW_ID,
				REPEATS_WORKFLOW_ID,
				ANSWER_WORKFLOW_ID,
				ANSWER_FAILS_WORKFLOW_ID,
			],
		});
		await startServer();
		await ensureOwner(server.url, DEMO_OWNER);
		cookie = await login(server.url, DEMO_OWNER);
		await waitUntilPublished(session(), WORKFLOW_ID);
		await waitUntilPublished(session(), REPEATS_WORKFLOW_ID);
		await waitUntilPublished(session(), ANSWER_WORKFLOW_ID);
		await waitUntilPublished(session(), ANSWER_FAILS_WORKFLOW_ID);
	}, 30 * 60_000);

	/** Starts `n8n start` on a free port (again, after a restart: same user folder, same database). */
	async function startServer() {
		server = await startN8nServer(runtime, userFolder, { port: await freePort() });
		webhookUrl = `${server.url}/webhook/${WEBHOOK_ID}/webhook`;
	}

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

	/**
	 * The ids of every execution of a workflow in n8n's execution list, page by page (at most 100 a
	 * page; 2.x pages with `cursor`, 1.x with `lastId`).
	 * @param {string} workflowId
	 */
	async function executionIds(workflowId) {
		const ids = new Set();
		/** @type {Record<string, string>} */
		let position = {};
		for (;;) {
			const query = new URLSearchParams({
				filter: JSON.stringify({ workflowId }),
				limit: '100',
				...position,
			});
			const response = await fetch(`${server.url}/rest/executions?${query}`, {
				headers: { cookie },
			});
			const body = /** @type {any} */ (await response.json());
			if (!body?.data) throw new Error(`n8n's execution list: ${JSON.stringify(body)}`);
			const results = /** @type {any[]} */ (body.data.results ?? body.data);
			for (const execution of results) ids.add(Number(execution.id));
			if (typeof body.data.nextCursor === 'string') {
				position = { cursor: body.data.nextCursor };
			} else if (lineName === '1.x' && results.length >= 100) {
				position = { lastId: String(Math.min(...results.map((e) => Number(e.id)))) };
			} else {
				return [...ids].sort((x, y) => x - y);
			}
		}
	}

	/**
	 * Waits until a workflow has at least `count` executions in n8n's list; returns how many it has.
	 * @param {string} workflowId @param {number} count
	 */
	async function waitForExecutionCount(workflowId, count) {
		const deadline = Date.now() + 120_000;
		for (;;) {
			const ids = await executionIds(workflowId);
			if (ids.length >= count || Date.now() > deadline) return ids.length;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
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
			webhooks: [
				expect.objectContaining({
					httpMethod: 'POST',
					// onReceived unless Options → Answer OK asks for a Respond to Webhook node.
					responseMode:
						'={{ $parameter["options"]["answerOk"] === "respondToWebhook" ? "responseNode" : "onReceived" }}',
				}),
			],
			codex: { categories: ['Finance & Accounting'] },
		});
		expect(trigger.usableAsTool).toBeUndefined();
		const light = typeof trigger.iconUrl === 'string' ? trigger.iconUrl : trigger.iconUrl?.light;
		expect(light).toMatch(/intellectMoney\.svg$/);
		expect(server.output()).not.toMatch(/Unrecognized node type|Error loading package/i);
	});

	// Built once: the retry below must be the very same notification.
	const firstHeld = formBody(signed(notificationFields({ paymentStatus: '6' })));

	test('a verified notification: HTTP 200, exactly "OK" as text/plain, one execution with the item', async () => {
		const answer = await post(firstHeld);
		expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' });
		const [execution] = await waitForExecutions(1);
		expect(execution.status).toBe('success');
		expect(execution.items).toEqual([
			expect.objectContaining({
				event: 'held',
				status: { code: 6, name: 'Held' },
				eshopId: SHOP.eshopId,
				orderId: 'order-42',
				invoiceId: null,
				amount: '10.00',
				currency: 'TST',
				testMode: true,
				payer: { name: 'Иван', email: 'buyer@example.com' },
				paidAt: `${String(new URLSearchParams(firstHeld).get('paymentData')).replace(' ', 'T')}+03:00`,
				duplicate: false,
				stale: false,
				encoding: 'utf-8',
				unverified: expect.objectContaining({ invoiceId: '3000001042', ipAddress: '198.51.100.7' }),
			}),
		]);
		expect(JSON.stringify(execution.items)).not.toMatch(/"hash"|SHOPSECRET|RepeatRecord/);
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

	test('the same notification again (IntellectMoney’s retry), and vector 8 of 2025 (too old to tell): OK, no execution', async () => {
		const answer = await post(firstHeld);
		expect(answer).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' });
		const old = await post(formBody({ ...VECTOR_8.fields, hash: VECTOR_8.utf8Hash }));
		expect(old).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' });

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

	describe('Answer OK: When Respond to Webhook Answers', () => {
		const OK = { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
		/** @param {string} webhookId */
		const urlOf = (webhookId) => `${server.url}/webhook/${webhookId}/webhook`;
		/** @param {string} workflowId @param {number} count */
		const runs = async (workflowId, count) =>
			(await waitForFinishedExecutions(session(), workflowId, count)).map((execution) => ({
				status: execution.status,
				orderId: execution.outputs['IntellectMoney Trigger']?.[0]?.orderId,
				answered: 'Answer OK to IntellectMoney' in execution.outputs,
			}));

		test('the Respond to Webhook node answers exactly OK, text/plain; the same notification again, once that execution ended, is answered OK by the trigger and runs nothing after it', async () => {
			const body = formBody(
				signed(notificationFields({ orderId: 'answer-1', paymentStatus: '6' })),
			);
			expect(await post(body, urlOf(ANSWER_WEBHOOK_ID))).toEqual(OK);
			expect(await runs(ANSWER_WORKFLOW_ID, 1)).toEqual([
				{ status: 'success', orderId: 'answer-1', answered: true },
			]);
			expect(await post(body, urlOf(ANSWER_WEBHOOK_ID))).toEqual(OK);
			expect(await runs(ANSWER_WORKFLOW_ID, 2)).toEqual([
				{ status: 'success', orderId: 'answer-1', answered: true },
				{ status: 'success', orderId: undefined, answered: false },
			]);
			// The trigger's own refusals are unchanged in this mode.
			const forged = {
				...signed(notificationFields({ orderId: 'answer-2' })),
				hash: '0'.repeat(32),
			};
			expect((await post(formBody(forged), urlOf(ANSWER_WEBHOOK_ID))).status).toBe(403);
		});

		test('a workflow that fails before its Respond to Webhook node is not answered OK; its repeat, that execution having ended, is answered OK and runs nothing (retry it from the executions list)', async () => {
			const body = formBody(
				signed(notificationFields({ orderId: 'answer-3', paymentStatus: '6' })),
			);
			// 2.x answers n8n's "Error in workflow" (HTTP 500); 1.x resolves the Respond to Webhook
			// answer with nothing once the execution has ended (active-executions.js
			// resolveExecutionResponsePromise): HTTP 200 with an empty body. Neither is "OK".
			const notOk = lineName === '2.x' ? { status: 500 } : { status: 200, body: '' };
			const answer = await post(body, urlOf(ANSWER_FAILS_WEBHOOK_ID));
			expect(answer.body).not.toBe('OK');
			expect(answer).toMatchObject(notOk);
			expect(await post(body, urlOf(ANSWER_FAILS_WEBHOOK_ID))).toEqual(OK);
			expect(await runs(ANSWER_FAILS_WORKFLOW_ID, 2)).toEqual([
				{ status: 'error', orderId: 'answer-3', answered: false },
				{ status: 'success', orderId: undefined, answered: false },
			]);
		});
	});

	describe('repeats of later notifications', () => {
		const repeatsUrl = () => `${server.url}/webhook/${REPEATS_WEBHOOK_ID}/webhook`;
		/** The n-th distinct "held" notification, one fixed body each. */
		const bodies = Array.from({ length: DISTINCT_NOTIFICATIONS }, (_, i) =>
			formBody(
				signed(
					notificationFields({
						orderId: `repeat-${i + 1}`,
						paymentId: `3100000${String(i + 1).padStart(3, '0')}`,
						paymentStatus: '6',
					}),
				),
			),
		);
		const OK = { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };

		/** Sends the repeats of notifications `numbers`, then a sentinel; returns the execution count once it is there. */
		async function repeatThenCount(
			/** @type {number[]} */ numbers,
			/** @type {string} */ sentinel,
			/** @type {number} */ expected,
		) {
			for (const n of numbers) expect(await post(bodies[n - 1], repeatsUrl())).toEqual(OK);
			expect(
				await post(
					formBody(signed(notificationFields({ orderId: sentinel, paymentStatus: '6' }))),
					repeatsUrl(),
				),
			).toEqual(OK);
			const count = await waitForExecutionCount(REPEATS_WORKFLOW_ID, expected);
			// Anything a repeat started would be there by now, before the sentinel's.
			await new Promise((resolve) => setTimeout(resolve, 1000));
			return Math.max(count, (await executionIds(REPEATS_WORKFLOW_ID)).length);
		}

		test(`${DISTINCT_NOTIFICATIONS} distinct notifications: ${DISTINCT_NOTIFICATIONS} executions; repeats of the 1st, 2nd, 10th and 100th start nothing`, async () => {
			for (const body of bodies) expect(await post(body, repeatsUrl())).toEqual(OK);
			expect(await waitForExecutionCount(REPEATS_WORKFLOW_ID, DISTINCT_NOTIFICATIONS)).toBe(
				DISTINCT_NOTIFICATIONS,
			);
			expect(
				await repeatThenCount([1, 2, 10, 100], 'repeat-sentinel-1', DISTINCT_NOTIFICATIONS + 1),
			).toBe(DISTINCT_NOTIFICATIONS + 1);
			const executions = await executionsOf(session(), REPEATS_WORKFLOW_ID);
			expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		}, 600_000);

		test("after n8n restarts (its in-process memory gone), the repeats run nothing after the trigger (n8n's deduplication store)", async () => {
			await server.stop();
			await startServer();
			cookie = await login(server.url, DEMO_OWNER);
			await waitUntilPublished(session(), REPEATS_WORKFLOW_ID);
			for (const n of [2, 10, 100, 1]) expect(await post(bodies[n - 1], repeatsUrl())).toEqual(OK);
			const sentinel = formBody(
				signed(notificationFields({ orderId: 'repeat-sentinel-2', paymentStatus: '6' })),
			);
			expect(await post(sentinel, repeatsUrl())).toEqual(OK);
			// Each repeat starts an execution whose trigger puts out no item, so nothing after it runs.
			const all = DISTINCT_NOTIFICATIONS + 6;
			expect(await waitForExecutionCount(REPEATS_WORKFLOW_ID, all)).toBe(all);
			// The sentinel came last and runs only the trigger: give it time to finish.
			await new Promise((resolve) => setTimeout(resolve, 2000));
			// n8n's list gives the newest first (a page of 20): the repeats and the sentinel are there.
			const newest = (await executionItems(REPEATS_WORKFLOW_ID)).slice(-5);
			expect(
				newest.map((e) => [e.status, e.items.map((/** @type {any} */ i) => i.orderId)]),
			).toEqual([...Array(4).fill(['success', []]), ['success', ['repeat-sentinel-2']]]);
		}, 600_000);
	});
});
