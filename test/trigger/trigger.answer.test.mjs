// @ts-check
/**
 * Options → Answer OK → When Respond to Webhook Answers, through n8n-core's WebhookContext,
 * WorkflowExecute and HookContext (support/webhook-harness.mjs): publishing needs a Respond to Webhook
 * node of version 1 answering the text OK; a repeat of a notification whose execution ended runs
 * nothing after the trigger, one whose execution died runs again (the recovery), on n8n 2.x's and
 * 1.x's static-data handling alike. What n8n answers in that mode is proven in real n8n:
 * test/e2e/trigger.e2e.mjs, and test/queue/ in queue mode.
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

const executedOrders = () => harness.ranDownstream().map((e) => e.items[0].orderId);

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
	'repeats, static data kept as n8n %s keeps it',
	(line) => {
		beforeEach(() => harness.setN8nLine(line));

		test('a repeat of a notification whose execution ended runs nothing after the trigger, after a restart too', async () => {
			const body = held(1);
			for (let i = 0; i < 3; i++) expect((await harness.post(body)).status).toBe(200);
			harness.restart();
			expect((await harness.post(body)).status).toBe(200);
			expect(harness.executions).toHaveLength(4);
			expect(executedOrders()).toEqual(['order-1']);
			expect(harness.executions[0].items[0].duplicate).toBe(false);
			// Only digests: the two keys of the one execution that ended, and the two store entries.
			expect(harness.staticData()).toEqual({
				'node:IntellectMoney Trigger': {
					endedNotifications: Array(2).fill(expect.stringMatching(/^[0-9a-f]{16}$/)),
				},
			});
			expect(Object.values(harness.deduplicationEntries()).flat()).toHaveLength(2);
			expect(JSON.stringify(harness.executions)).not.toContain('__intellectMoneyRepeat');
		});

		test('a repeat of a notification whose execution died runs again (the recovery), then no more', async () => {
			const body = held(3);
			harness.killNextExecution();
			expect(await harness.post(body).catch(() => null)).toBeNull();
			expect(harness.executions.map((e) => e.status)).toEqual(['crashed']);
			// IntellectMoney got no OK and sends it again: it runs, and it ends this time.
			expect((await harness.post(body)).status).toBe(200);
			expect((await harness.post(body)).status).toBe(200);
			expect(executedOrders()).toEqual(['order-3', 'order-3']);
			expect(harness.logs.join('\n')).toContain('did not end runs again');
		});

		test('deliveries at the same moment: none has ended yet, so each runs (README "Repeated notifications")', async () => {
			const answers = await harness.postAtOnce(held(2), 3);
			expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
			const ran = executedOrders().length;
			expect(ran).toBeGreaterThanOrEqual(1);
			// Once they have ended, the next repeat runs nothing after the trigger.
			await harness.post(held(2));
			expect(harness.executions).toHaveLength(4);
			expect(executedOrders()).toHaveLength(ran);
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
	expect(harness.deduplicationEntries()).toEqual({});
});
