/**
 * The record saved by the execution a notification started (executionRecord.ts), on a process whose
 * memory no webhook fills, as a queue-mode worker: overlapping executions each start from the same
 * copy of the static data and n8n saves each copy whole (the last writer wins), so each save must
 * carry the records of the executions this process ran before. The real-n8n run is test/queue/.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { rememberInExecution } from '../../nodes/IntellectMoneyTrigger/executionRecord';
import { forgetAllTriggerMemories } from '../../nodes/IntellectMoneyTrigger/repeatMemory';
import {
	DEFAULT_LIMITS,
	notificationKeys,
	readRemembered,
	REPEAT_RECORD_FIELD,
	serializeRecord,
} from '../../nodes/IntellectMoneyTrigger/repeats';

const STORE = 'rememberedNotifications';

/** An execution of the trigger node on a worker, from `staticData` (its own copy). */
function execution(staticData: IDataObject, items: INodeExecutionData[]) {
	const context = {
		getInputData: () => items,
		getNodeParameter: () => ({}),
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: 'imQueueWorkflow1' }),
		getNode: () => ({ id: 'trigger-node', name: 'IntellectMoney Trigger' }),
		getMode: () => 'webhook',
		logger: { warn: () => undefined },
	} as unknown as IExecuteFunctions;
	return rememberInExecution(context);
}

/** The item a new notification's webhook hands over, with its record. */
function itemFor(orderId: string, seenAt: number): INodeExecutionData {
	const keys = notificationKeys({
		eshopId: '450000',
		orderId,
		paymentStatus: '6',
		paymentId: `3${orderId.length}000`,
		hash: `hash-of-${orderId}`,
	});
	return { json: { orderId, [REPEAT_RECORD_FIELD]: serializeRecord({ keys, seenAt }) } };
}

beforeEach(() => forgetAllTriggerMemories());

describe('the execution record on a queue-mode worker', () => {
	test('the record is taken off the item and saved', () => {
		const staticData: IDataObject = {};
		const out = execution(staticData, [itemFor('order-1', Date.now())]);
		expect(out).toEqual([{ json: { orderId: 'order-1' }, pairedItem: { item: 0 } }]);
		expect(readRemembered(staticData, Date.now(), DEFAULT_LIMITS)).toHaveLength(1);
	});

	test('overlapping executions started from the same copy: each later save still carries the earlier records', () => {
		const now = Date.now();
		// Three executions that loaded the same (empty) static data before any of them saved.
		const copies: IDataObject[] = [{}, {}, {}];
		execution(copies[0], [itemFor('order-1', now)]);
		execution(copies[1], [itemFor('order-2', now)]);
		execution(copies[2], [itemFor('order-3', now)]);
		// Whichever copy n8n saves last, it holds the records of the executions before it.
		expect([copies[0], copies[1], copies[2]].map((c) => (c[STORE] as unknown[]).length)).toEqual([
			1, 2, 3,
		]);
		expect(readRemembered(copies[2], now, DEFAULT_LIMITS)).toHaveLength(3);
	});

	test('an execution without a record (Answer OK after the workflow) leaves static data untouched', () => {
		const staticData: IDataObject = {};
		execution(staticData, [itemFor('order-1', Date.now())]);
		const untouched: IDataObject = {};
		const out = execution(untouched, [{ json: { orderId: 'order-2' } }]);
		expect(out).toEqual([{ json: { orderId: 'order-2' }, pairedItem: { item: 0 } }]);
		expect(untouched).toEqual({});
	});
});
