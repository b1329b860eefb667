/**
 * Runs an operation over the items with at most `parallelRequests` in flight: a promise pool, no
 * timers. Each worker takes the next index; results land in an array by index, so the output's order
 * never depends on which answer came first. Items with the same concurrency key are chained: an item
 * starts only after the previous item with its key has settled, so a repeat sees the first one's
 * effect exactly as in sequential mode.
 *
 * Without Continue On Fail the first failure stops new items from starting; those in flight settle
 * and the failure with the lowest index is reported. With Continue On Fail every item runs.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Operation } from './operation';
import type { ItemScope } from './scope';

/** What became of one item: its output (one or several items), its error, or nothing when it was never started. */
export type ItemOutcome = { json: IDataObject | IDataObject[] } | { error: unknown } | undefined;

export interface PoolRun {
	outcomes: ItemOutcome[];
	/** The items that were started (sent), in start order. */
	startedIndices: number[];
	/** Without Continue On Fail: the failed item with the lowest index. */
	firstFailure?: { itemIndex: number; error: unknown };
}

export async function runItems(
	operation: Operation,
	settings: {
		itemCount: number;
		parallelRequests: number;
		continueOnFail: boolean;
		item(index: number): ItemScope;
		execute(item: ItemScope): Promise<IDataObject | IDataObject[]>;
	},
): Promise<PoolRun> {
	const { itemCount, parallelRequests, continueOnFail } = settings;
	const outcomes: ItemOutcome[] = new Array(itemCount);
	// Sequential mode needs no keys: one item at a time is already one per key.
	const keyOf = parallelRequests > 1 ? operation.concurrencyKey : undefined;
	/** The settling of the latest started item of each key, for the next item with that key. */
	const latestOfKey = new Map<string, Promise<void>>();
	const startedIndices: number[] = [];
	let nextIndex = 0;
	let stopped = false;
	let firstFailure: PoolRun['firstFailure'];

	const runOne = async (item: ItemScope, previous: Promise<void> | undefined) => {
		if (previous !== undefined) {
			await previous;
			// Never started in effect: nothing of it was sent before the batch stopped.
			if (stopped) return;
		}
		startedIndices.push(item.index);
		try {
			outcomes[item.index] = { json: await settings.execute(item) };
		} catch (error) {
			outcomes[item.index] = { error };
			if (continueOnFail) return;
			stopped = true;
			if (firstFailure === undefined || item.index < firstFailure.itemIndex) {
				firstFailure = { itemIndex: item.index, error };
			}
		}
	};

	const worker = async () => {
		while (!stopped && nextIndex < itemCount) {
			const item = settings.item(nextIndex++);
			const key = keyOf === undefined ? undefined : safeKey(keyOf, item);
			if (key === undefined) {
				await runOne(item, undefined);
				continue;
			}
			const settled = runOne(item, latestOfKey.get(key));
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
	keyOf: NonNullable<Operation['concurrencyKey']>,
	item: ItemScope,
): string | undefined {
	try {
		return keyOf(item);
	} catch {
		return undefined;
	}
}
