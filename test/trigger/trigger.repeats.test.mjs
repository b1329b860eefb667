// @ts-check
/**
 * The repeat guard through n8n-core's WebhookContext and WorkflowExecute, with n8n's deduplication
 * store in memory (n8n's semantics, dev/n8n/deduplication.mjs) and static data kept the way n8n 2.41.1
 * and 1.123.81 keep it (support/webhook-harness.mjs): repeats of later notifications, after a restart
 * too; deliveries at once; replays that must not grow the store; old and future payment dates. The
 * real-n8n proof is test/e2e/trigger.e2e.mjs (and test/queue/ for several processes).
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import {
	DAY_MS,
	formBody,
	moscowDate,
	notificationFields,
	signed,
} from './support/notifications.mjs';
import { harnessForThisFile, OK_ANSWER as OK } from './support/webhook-harness.mjs';

const harness = harnessForThisFile();

/** The n-th distinct "held" notification, as one fixed body. @param {number} n */
const held = (n) =>
	formBody(
		signed(
			notificationFields({ orderId: `order-${n}`, paymentId: `30000${n}`, paymentStatus: '6' }),
		),
	);

/** The orderIds of the executions whose steps after the trigger ran. */
const executedOrders = () => harness.ranDownstream().map((e) => e.items[0].orderId);

/** How many entries n8n's deduplication store holds for the trigger (two per notification). */
const storedEntries = () => Object.values(harness.deduplicationEntries()).flat().length;
/** How many notifications it remembers. */
const storedCount = () => storedEntries() / 2;

beforeEach(() => {
	harness.setN8nLine('2.x');
	harness.setParameters({ events: ['held', 'paid'] });
	harness.setCredential({});
	harness.resetStaticData();
	harness.executions.length = 0;
});

describe.each(/** @type {const} */ (['2.x', '1.x']))(
	'static data kept as n8n %s keeps it',
	(line) => {
		beforeEach(() => harness.setN8nLine(line));

		test('repeats of the 1st, 2nd, 10th and 100th notification start nothing, also after a restart of n8n', async () => {
			const bodies = Array.from({ length: 100 }, (_, i) => held(i + 1));
			for (const body of bodies) expect(await harness.post(body)).toEqual(OK);
			expect(harness.executions).toHaveLength(100);
			expect(harness.executions.every((e) => e.status === 'success')).toBe(true);
			expect(storedCount()).toBe(100);

			for (const n of [1, 2, 10, 100]) expect(await harness.post(bodies[n - 1])).toEqual(OK);
			expect(harness.executions).toHaveLength(100);

			// A restart forgets the in-process memory; n8n's deduplication store (its database) remains:
			// each repeat starts an execution whose trigger puts out nothing, so no step after it runs.
			harness.restart();
			for (const n of [1, 2, 10, 100]) expect(await harness.post(bodies[n - 1])).toEqual(OK);
			expect(harness.executions).toHaveLength(104);
			expect(harness.ranDownstream()).toHaveLength(100);
			expect(harness.executions.slice(100).map((e) => [e.status, e.items.length])).toEqual(
				Array(4).fill(['success', 0]),
			);
			expect(harness.logs.join('\n')).toContain('nothing after the trigger runs');
			// Repeats grow no store; the keys never reach the workflow's own item.
			expect(storedCount()).toBe(100);
			expect(harness.staticData()).toEqual({});
			expect(JSON.stringify(harness.executions)).not.toContain('__intellectMoneyRepeat');
		});

		test('a new notification after a restart still starts its execution', async () => {
			await harness.post(held(1));
			harness.restart();
			await harness.post(held(2));
			expect(executedOrders()).toEqual(['order-1', 'order-2']);
		});
	},
);

describe('deliveries at once', () => {
	test('five deliveries of the same notification at the same moment start one execution', async () => {
		const body = held(7);
		const answers = await harness.postAtOnce(body, 5);
		expect(answers).toEqual(Array(5).fill(OK));
		expect(executedOrders()).toEqual(['order-7']);
	});
});

describe('a repeat adds no record', () => {
	test('2,000 replays, each with a new unhashed paymentId, then the original: all dropped, one record', async () => {
		const original = signed(notificationFields({ orderId: 'order-9', paymentStatus: '6' }));
		expect(await harness.post(formBody(original))).toEqual(OK);
		const before = JSON.stringify(harness.deduplicationEntries());
		for (let i = 0; i < 2000; i++) {
			const paymentId = `39${String(i).padStart(8, '0')}`;
			expect(await harness.post(formBody({ ...original, paymentId }))).toEqual(OK);
		}
		expect(JSON.stringify(harness.deduplicationEntries())).toBe(before);
		expect(storedCount()).toBe(1);
		expect(await harness.post(formBody(original))).toEqual(OK);
		harness.restart();
		expect(await harness.post(formBody({ ...original, paymentId: '3999999999' }))).toEqual(OK);
		expect(executedOrders()).toEqual(['order-9']);
	}, 120_000);

	test('Pass On Marked: a repeat is passed marked and adds no record either', async () => {
		harness.setParameters({ events: ['held'], options: { repeatedNotifications: 'passOnMarked' } });
		const body = held(3);
		await harness.post(body);
		await harness.post(body);
		expect(harness.executions.map((e) => e.items[0].duplicate)).toEqual([false, true]);
		expect(storedCount()).toBe(1);
		// After a restart the shared store recognises it: passed on marked as well.
		harness.restart();
		await harness.post(body);
		expect(harness.executions.map((e) => e.items[0].duplicate)).toEqual([false, true, true]);
		expect(storedCount()).toBe(1);
	});
});

describe('freshness: a notification too old or too new to tell is never passed on as new', () => {
	/** @param {string} paymentData */
	const datedBody = (paymentData) =>
		formBody(
			signed(notificationFields({ orderId: 'order-dated', paymentStatus: '6', paymentData })),
		);

	test.each([
		['older than the 30-day window', moscowDate(-31 * DAY_MS), 'older than the window'],
		['more than 15 minutes ahead', moscowDate(20 * 60_000), 'in the future'],
		['not a date', '15.07.2025 18:23:32', 'not a date'],
		['empty', '', 'not a date'],
	])(
		'paymentData %s: dropped (OK, nothing started, nothing remembered, a warning logged)',
		async (_case, date, reason) => {
			harness.logs.length = 0;
			expect(await harness.post(datedBody(date))).toEqual(OK);
			expect(harness.executions).toHaveLength(0);
			expect(storedEntries()).toBe(0);
			expect(harness.logs.join('\n')).toContain(`its paymentData is ${reason}`);
		},
	);

	test('Pass On Marked: passed with stale: true, and still not remembered', async () => {
		harness.setParameters({ events: ['held'], options: { repeatedNotifications: 'passOnMarked' } });
		const body = datedBody(moscowDate(-40 * DAY_MS));
		await harness.post(body);
		await harness.post(body);
		expect(harness.executions.map((e) => [e.items[0].stale, e.items[0].duplicate])).toEqual([
			[true, false],
			[true, false],
		]);
		expect(storedCount()).toBe(0);
	});

	test('within the window (29 days old, or 10 minutes ahead): passed on as new', async () => {
		await harness.post(datedBody(moscowDate(-29 * DAY_MS)));
		await harness.post(
			formBody(
				signed(
					notificationFields({
						orderId: 'order-ahead',
						paymentStatus: '6',
						paymentData: moscowDate(10 * 60_000),
					}),
				),
			),
		);
		expect(harness.executions.map((e) => [e.items[0].orderId, e.items[0].stale])).toEqual([
			['order-dated', false],
			['order-ahead', false],
		]);
	});

	test('Remember For (Days) narrows the window: 8 days old is too old at 7 days', async () => {
		harness.setParameters({ events: ['held'], options: { rememberDays: 7 } });
		expect(await harness.post(datedBody(moscowDate(-8 * DAY_MS)))).toEqual(OK);
		expect(harness.executions).toHaveLength(0);
	});

	test('Remembered Notifications bounds the store: the oldest records go first', async () => {
		harness.setParameters({ events: ['held'], options: { rememberedNotifications: 100 } });
		for (let n = 1; n <= 105; n++) await harness.post(held(n));
		expect(storedCount()).toBe(100);
		harness.restart();
		// Evicted by count, not by age: this is the limit the README states in numbers.
		await harness.post(held(1));
		await harness.post(held(105));
		expect(harness.ranDownstream()).toHaveLength(106);
	});
});
