// @ts-check
/**
 * Options → Answer OK → When Respond to Webhook Answers, through n8n-core's WebhookContext,
 * WorkflowExecute and HookContext (support/webhook-harness.mjs): publishing needs a Respond to Webhook
 * node of version 1 answering the text OK; the trigger then keeps no record of repeats anywhere (not
 * in its process memory, not in the static data the webhook or the execution saves), so every repeat
 * runs the workflow again, on n8n 2.x's and 1.x's static-data handling alike. What n8n answers in
 * that mode is proven in real n8n: test/e2e/trigger.e2e.mjs, and test/queue/ in queue mode.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { formBody, notificationFields, signed, VECTOR_8 } from './support/notifications.mjs';
import { harnessForThisFile } from './support/webhook-harness.mjs';

const harness = harnessForThisFile();

const AFTER_THE_WORKFLOW = { events: ['held'], options: { answerOk: 'respondToWebhook' } };

/** A Respond to Webhook node as the held-payment example (queue mode) has it. */
const respondOk = (/** @type {Record<string, unknown>} */ overrides = {}) => ({
	id: 'c1d2e3f4-0000-4000-8000-000000000009',
	name: 'Answer OK to IntellectMoney',
	type: 'n8n-nodes-base.respondToWebhook',
	typeVersion: 1,
	position: [220, 0],
	parameters: { respondWith: 'text', responseBody: 'OK' },
	...overrides,
});

/** @param {number} n */
const held = (n) =>
	formBody(
		signed(
			notificationFields({ orderId: `order-${n}`, paymentId: `30000${n}`, paymentStatus: '6' }),
		),
	);

const executedOrders = () => harness.executions.map((e) => e.items[0].orderId);

beforeEach(() => {
	harness.setN8nLine('2.x');
	harness.setParameters(AFTER_THE_WORKFLOW);
	harness.setDownstream([respondOk()]);
	harness.setCredential({});
	harness.resetStaticData();
	harness.executions.length = 0;
});

describe('activation', () => {
	test('succeeds with a Respond to Webhook node of version 1 answering the text OK', async () => {
		await expect(harness.activate()).resolves.toBe(true);
	});

	test('fails, naming the fix, without one, with a later version, or with another answer', async () => {
		for (const downstream of [
			[],
			[respondOk({ disabled: true })],
			[respondOk({ typeVersion: 1.5 })],
			[respondOk({ parameters: { respondWith: 'firstIncomingItem' } })],
		]) {
			harness.setDownstream(downstream);
			await expect(harness.activate()).rejects.toMatchObject({
				name: 'NodeOperationError',
				message: expect.stringMatching(
					/no Respond to Webhook node follows|must be version 1 and answer the text OK/,
				),
				description: expect.stringContaining('Respond With: Text, Response Body: OK'),
			});
		}
	});

	test('the default answer needs no Respond to Webhook node', async () => {
		harness.setParameters({ events: ['held'] });
		harness.setDownstream([]);
		await expect(harness.activate()).resolves.toBe(true);
	});
});

describe.each(/** @type {const} */ (['2.x', '1.x']))(
	'no record of repeats, static data kept as n8n %s keeps it',
	(line) => {
		beforeEach(() => harness.setN8nLine(line));

		test('the same notification three times runs the workflow three times; nothing is saved or remembered', async () => {
			const body = held(1);
			for (let i = 0; i < 3; i++) expect((await harness.post(body)).status).toBe(200);
			expect(executedOrders()).toEqual(['order-1', 'order-1', 'order-1']);
			expect(harness.executions.every((e) => e.items[0].duplicate === false)).toBe(true);
			expect(harness.staticData()).toEqual({});
			expect(JSON.stringify(harness.executions)).not.toContain('__intellectMoneyRepeatRecord');

			// Back to the default answer: the process memory holds nothing of them either, so the
			// notification is new once, then its repeat is dropped (remembered from now on).
			harness.setParameters({ events: ['held'] });
			await harness.post(body);
			await harness.post(body);
			expect(executedOrders()).toEqual(['order-1', 'order-1', 'order-1', 'order-1']);
		});

		test('deliveries at the same moment each run the workflow', async () => {
			const answers = await harness.postAtOnce(held(2), 3);
			expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
			expect(executedOrders()).toEqual(['order-2', 'order-2', 'order-2']);
			expect(harness.staticData()).toEqual({});
		});
	},
);

test('freshness still holds: a notification too old to tell (vector 8 of 2025) is answered OK and starts nothing; Pass On Marked passes it stale', async () => {
	const old = formBody({ ...VECTOR_8.fields, hash: VECTOR_8.utf8Hash });
	harness.setParameters({ events: ['held', 'paid'], options: { answerOk: 'respondToWebhook' } });
	const answer = await harness.post(old);
	expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'OK' });
	expect(harness.executions).toHaveLength(0);
	harness.setParameters({
		events: ['held', 'paid'],
		options: { answerOk: 'respondToWebhook', repeatedNotifications: 'passOnMarked' },
	});
	await harness.post(old);
	expect(harness.executions.map((e) => e.items[0].stale)).toEqual([true]);
	expect(harness.staticData()).toEqual({});
});
