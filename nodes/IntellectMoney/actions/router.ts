/**
 * Dispatches to the chosen operation and owns the item loop: one output item per input item, in
 * order, each with `pairedItem`; with Continue On Fail a failed item comes out as an error item and
 * the loop goes on. With Parallel Requests above 1, up to that many items run at once; items that
 * target the same money (the operation's `concurrencyKey`) still run one after another.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Resource } from '../interfaces';
import { readParallelRequests } from './common.descriptions';
import { createExecutionContext } from './executionContext';
import type { ExecutionContext, OperationModule } from './executionContext';
import * as payout from './payout';
import * as purchase from './purchase';

const operations: Record<Resource, Record<string, OperationModule>> = {
	purchase: {
		capture: purchase.capture,
		createInvoice: purchase.createInvoice,
		get: purchase.get,
		refund: purchase.refund,
	},
	payout: { create: payout.create, execute: payout.execute, get: payout.get },
};

/** What became of one item: its output, its error, or nothing when it was never started. */
type ItemOutcome = { json: IDataObject } | { error: unknown } | undefined;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as Resource;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (operation === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported for resource "${resource}"`,
		);
	}
	// Read once per execution, from item 0, and refused before anything is sent.
	const parallelRequests = readParallelRequests(this);
	const continueOnFail = this.continueOnFail();
	const context = createExecutionContext(this);

	const run = await runItems(this, operation, context, {
		itemCount: items.length,
		parallelRequests,
		continueOnFail,
	});

	if (run.firstFailure !== undefined) {
		const { itemIndex, error } = run.firstFailure;
		const nodeError = asNodeError(this, error, itemIndex);
		const later = run.startedIndices.filter((started) => started > itemIndex).sort((a, b) => a - b);
		if (later.length > 0) {
			// Items after the failed one were already on their way: n8n shows only this error, so say so.
			nodeError.message = `${nodeError.message} (Parallel Requests: ${later.length} later item${later.length === 1 ? ' was' : 's were'} sent alongside and may have been processed)`;
			nodeError.description =
				`${nodeError.description ?? ''} With Parallel Requests ${parallelRequests}, item${later.length === 1 ? '' : 's'} ${later.join(', ')} started before this failure was known and may have moved money: check their state before running the batch again (a repeated capture or payout is never done twice).`.trim();
		}
		throw nodeError;
	}

	const returnData: INodeExecutionData[] = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = run.outcomes[itemIndex];
		if (outcome !== undefined && 'json' in outcome) {
			returnData[itemIndex] = { json: outcome.json, pairedItem: { item: itemIndex } };
		} else {
			// Continue On Fail: the error item was built when the item failed (see runItems).
			returnData[itemIndex] = {
				json: (outcome as { error: IDataObject }).error,
				pairedItem: { item: itemIndex },
			};
		}
	}
	return [returnData];
}

/**
 * Runs `operation` over the item indices with at most `parallelRequests` items in flight: a promise
 * pool, no timers. Each worker takes the next index; results land in an array by index, so the order
 * of the output never depends on which answer came first. Items with the same concurrency key are
 * chained: an item starts only after the previous item with its key has settled, so a repeat sees
 * the first one's effect exactly as in sequential mode.
 *
 * Without Continue On Fail the first failure stops new items from starting; those in flight settle
 * and the failure with the lowest index is reported. With Continue On Fail every item runs, and a
 * failed one becomes an error item right away (its message names this item).
 */
async function runItems(
	node: IExecuteFunctions,
	operation: OperationModule,
	context: ExecutionContext,
	settings: { itemCount: number; parallelRequests: number; continueOnFail: boolean },
): Promise<{
	outcomes: ItemOutcome[];
	/** The items that were started (sent), in start order. */
	startedIndices: number[];
	firstFailure?: { itemIndex: number; error: unknown };
}> {
	const { itemCount, parallelRequests, continueOnFail } = settings;
	const outcomes: ItemOutcome[] = new Array(itemCount);
	// Sequential mode needs no keys: one item at a time is already one per key.
	const keyOf = parallelRequests > 1 ? operation.concurrencyKey : undefined;
	/** The settling of the latest started item of each key, for the next item with that key. */
	const latestOfKey = new Map<string, Promise<void>>();
	const startedIndices: number[] = [];
	let nextIndex = 0;
	let stopped = false;
	let firstFailure: { itemIndex: number; error: unknown } | undefined;

	const fail = (itemIndex: number, error: unknown) => {
		if (continueOnFail) {
			const nodeError = asNodeError(node, error, itemIndex);
			outcomes[itemIndex] = {
				error: { error: nodeError.message, description: nodeError.description ?? null },
			};
			return;
		}
		stopped = true;
		if (firstFailure === undefined || itemIndex < firstFailure.itemIndex) {
			firstFailure = { itemIndex, error };
		}
	};

	const runOne = async (itemIndex: number, previous: Promise<void> | undefined) => {
		if (previous !== undefined) {
			await previous;
			// Never started in effect: nothing of it was sent before the batch stopped.
			if (stopped) return;
		}
		startedIndices.push(itemIndex);
		try {
			outcomes[itemIndex] = { json: await operation.execute.call(node, itemIndex, context) };
		} catch (error) {
			fail(itemIndex, error);
		} finally {
			context.releaseItem(itemIndex);
		}
	};

	const worker = async () => {
		while (!stopped && nextIndex < itemCount) {
			const itemIndex = nextIndex++;
			const key = keyOf === undefined ? undefined : safeKey(node, keyOf, itemIndex, context);
			if (key === undefined) {
				await runOne(itemIndex, undefined);
				continue;
			}
			const settled = runOne(itemIndex, latestOfKey.get(key));
			latestOfKey.set(key, settled);
			await settled;
			// Keep the map as small as the items in flight.
			if (latestOfKey.get(key) === settled) latestOfKey.delete(key);
		}
	};

	const workers: Array<Promise<void>> = [];
	for (let i = 0; i < Math.min(parallelRequests, itemCount); i++) workers.push(worker());
	await Promise.all(workers);
	return { outcomes, startedIndices, firstFailure };
}

/** The item's concurrency key; undefined when there is none or it cannot be read (execute says why). */
function safeKey(
	node: IExecuteFunctions,
	keyOf: NonNullable<OperationModule['concurrencyKey']>,
	itemIndex: number,
	context: ExecutionContext,
): string | undefined {
	try {
		return keyOf.call(node, itemIndex, context);
	} catch {
		return undefined;
	}
}

/**
 * The error as n8n shows it, naming the item: `… [item 2]`. One error object can reach several items
 * (a failed user-token request is shared by the execution), so an earlier item's suffix is replaced.
 */
function asNodeError(
	node: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(node.getNode(), error as Error, { itemIndex });
	nodeError.message = `${nodeError.message.replace(/ \[item \d+\]$/, '')} [item ${itemIndex}]`;
	nodeError.context.itemIndex = itemIndex;
	return nodeError;
}
