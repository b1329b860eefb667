/**
 * The repeat guard's pure parts: the two keys, the bounds, the in-process memory (bounds, one per
 * trigger, deliveries at once), and the freshness of `paymentData` (Moscow time). The shared store:
 * sharedStore.test.mjs.
 */
import {
	FUTURE_ALLOWANCE_MS,
	judgeFreshness,
	paymentTime,
} from '../../nodes/IntellectMoneyTrigger/freshness';
import {
	MAX_TRIGGERS,
	TriggerMemory,
	triggerMemory,
} from '../../nodes/IntellectMoneyTrigger/repeatMemory';
import {
	DAY_MS,
	DEFAULT_LIMITS,
	notificationKeys,
	retentionMs,
	withinLimits,
} from '../../nodes/IntellectMoneyTrigger/repeatKeys';
import type {
	RememberedNotification,
	RepeatLimits,
} from '../../nodes/IntellectMoneyTrigger/repeatKeys';

const START = Date.UTC(2026, 10, 1, 12, 0, 0);
const SMALL: RepeatLimits = { windowMs: 10 * DAY_MS, maxNotifications: 5 };

const keysOf = (i: number, paymentId = `30000${i}`) =>
	notificationKeys({
		eshopId: '450000',
		orderId: `order-${i}`,
		paymentStatus: '6',
		paymentId,
		hash: `hash-${i}`,
	});
const recordOf = (i: number, seenAt = START + i * 1000): RememberedNotification => ({
	keys: keysOf(i),
	seenAt,
});

describe('the keys', () => {
	test('two 16-hex keys; only the event key depends on the unhashed paymentId', () => {
		const [eventKey, hashKey] = keysOf(1);
		expect(eventKey).toMatch(/^[0-9a-f]{16}$/);
		expect(hashKey).toMatch(/^[0-9a-f]{16}$/);
		const [otherEventKey, sameHashKey] = keysOf(1, '3000009999');
		expect(otherEventKey).not.toBe(eventKey);
		expect(sameHashKey).toBe(hashKey);
	});
});

describe('bounds', () => {
	test('keeps the newest maxNotifications, oldest first', () => {
		const records = [4, 1, 6, 2, 5, 3, 0].map((i) => recordOf(i));
		expect(withinLimits(records, START + 10_000, SMALL).map((r) => r.seenAt)).toEqual(
			[2, 3, 4, 5, 6].map((i) => START + i * 1000),
		);
	});

	test(`keeps a record for the window plus ${FUTURE_ALLOWANCE_MS / 60_000} minutes`, () => {
		expect(retentionMs(SMALL)).toBe(SMALL.windowMs + FUTURE_ALLOWANCE_MS);
		const record = recordOf(0, START);
		expect(withinLimits([record], START + retentionMs(SMALL), SMALL)).toEqual([record]);
		expect(withinLimits([record], START + retentionMs(SMALL) + 1, SMALL)).toEqual([]);
	});

	test('defaults: 30 days, 10,000 notifications', () => {
		expect(DEFAULT_LIMITS).toEqual({ windowMs: 30 * DAY_MS, maxNotifications: 10_000 });
	});
});

describe('the in-process memory', () => {
	test('remembers, bounded like the store; a repeat adds nothing', () => {
		const memory = new TriggerMemory();
		for (let i = 0; i < 8; i++) memory.add(recordOf(i), START + 10_000, SMALL);
		expect(memory.all(START + 10_000, SMALL)).toEqual([3, 4, 5, 6, 7].map((i) => recordOf(i)));
		expect(memory.has(keysOf(7), START + 10_000, SMALL)).toBe(true);
		expect(memory.has(keysOf(2), START + 10_000, SMALL)).toBe(false);
		memory.add(
			{ keys: [keysOf(7)[0], 'f'.repeat(16)], seenAt: START + 20_000 },
			START + 20_000,
			SMALL,
		);
		expect(memory.all(START + 20_000, SMALL)).toHaveLength(5);
		expect(memory.has(['f'.repeat(16)], START + 20_000, SMALL)).toBe(false);
		expect(memory.has(keysOf(7), START + 7000 + retentionMs(SMALL) + 1, SMALL)).toBe(false);
	});

	test('a delivery of the same notification waits until the first is recorded or given up', async () => {
		const memory = new TriggerMemory();
		const keys = keysOf(1);
		expect(memory.pendingFor(keys)).toBeUndefined();
		const release = memory.reserve(keys);
		const order: string[] = [];
		const second = memory.pendingFor([keys[1]])?.then(() => order.push('second'));
		expect(second).toBeDefined();
		await Promise.resolve();
		order.push('first');
		memory.add(recordOf(1), START + 1000, SMALL);
		release();
		await second;
		expect(order).toEqual(['first', 'second']);
		expect(memory.has(keys, START + 1000, SMALL)).toBe(true);
		expect(memory.pendingFor(keys)).toBeUndefined();
	});

	test('one memory per workflow, trigger node and mode; at most MAX_TRIGGERS', () => {
		const production = triggerMemory('wf1', 'node-a', 'webhook');
		expect(triggerMemory('wf1', 'node-a', 'webhook')).toBe(production);
		expect(triggerMemory('wf1', 'node-a', 'manual')).not.toBe(production);
		expect(triggerMemory('wf2', 'node-a', 'webhook')).not.toBe(production);
		expect(triggerMemory('wf1', 'node-b', 'webhook')).not.toBe(production);
		for (let i = 0; i < MAX_TRIGGERS; i++) triggerMemory(`other-${i}`, 'n', 'webhook');
		expect(triggerMemory('wf1', 'node-a', 'webhook')).not.toBe(production);
	});
});

describe('freshness of paymentData (Moscow time, UTC+3)', () => {
	test('reads yyyy-MM-dd HH:mm:ss as Moscow time', () => {
		expect(paymentTime('2026-12-01 12:00:00')).toBe(Date.UTC(2026, 11, 1, 9, 0, 0));
		expect(paymentTime('2026-12-01T12:00:00')).toBe(Date.UTC(2026, 11, 1, 9, 0, 0));
		expect(paymentTime('2026-12-01 12:00:00.500')).toBe(Date.UTC(2026, 11, 1, 9, 0, 0));
		expect(paymentTime('2026-01-01 01:30:00')).toBe(Date.UTC(2025, 11, 31, 22, 30, 0));
	});

	test.each([
		'',
		'2026-02-30 10:00:00',
		'2026-12-01',
		'01.12.2026 12:00:00',
		'2026-12-01 24:00:00',
		'now',
	])('%j is not a date', (text) => {
		expect(paymentTime(text)).toBeUndefined();
		expect(judgeFreshness(text, START, SMALL.windowMs)).toEqual({
			fresh: false,
			reason: 'not a date',
		});
	});

	test('fresh within the window and up to the clock-skew allowance ahead', () => {
		const at = (offsetMs: number) =>
			new Date(START + offsetMs + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
		expect(judgeFreshness(at(0), START, SMALL.windowMs)).toEqual({ fresh: true });
		expect(judgeFreshness(at(-SMALL.windowMs), START, SMALL.windowMs)).toEqual({ fresh: true });
		expect(judgeFreshness(at(-SMALL.windowMs - 1000), START, SMALL.windowMs)).toEqual({
			fresh: false,
			reason: 'older than the window',
		});
		expect(judgeFreshness(at(FUTURE_ALLOWANCE_MS), START, SMALL.windowMs)).toEqual({ fresh: true });
		expect(judgeFreshness(at(FUTURE_ALLOWANCE_MS + 1000), START, SMALL.windowMs)).toEqual({
			fresh: false,
			reason: 'in the future',
		});
	});
});
