/**
 * The repeat records in n8n's deduplication store (`this.helpers.checkProcessedAndRecord`, the
 * `processed_data` table of n8n's own database, shared by the main process, webhook processors and
 * workers; the Remove Duplicates node keeps its records there too).
 *
 * What the store does, read in n8n 2.41.1 and 1.123.81 (n8n/dist/deduplication/deduplication-helper.js):
 * one JSON row per (workflow, context), read with findOne and then inserted or updated whole, with no
 * lock. So:
 * - scope `node` (context `n:<node id>`): scope `workflow` would share the row of a Remove
 *   Duplicates node in the same workflow;
 * - mode `entries`, at most `maxEntries` kept (the oldest go first), so repeats cannot grow it;
 * - two first inserts at once: one fails on the row's unique key; it is tried once more, and then
 *   reads the other's row;
 * - two updates at once: the last writer wins, and the other's new entry is gone. Each new record is
 *   therefore read back once the race window has passed, and written again if it was lost.
 * Every call is a read-then-write, a check of a known entry too (the row is written back as read).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { clock } from '../../shared/clock';

export type StoreVerdict = 'new' | 'repeat';

/** Logged when the read-back finds a record gone (the queue suite counts these lines). */
export const LOST_RECORD =
	"IntellectMoney Trigger: a repeat record was lost to another process's write in n8n's deduplication store";

/** Longer than the store's read-then-write (a few ms measured, README "Running at scale"). */
export const RACE_SETTLE_MS = 100;

/** Read-backs at most: each writes the row too, so they go on until one finds nothing lost. */
const READ_BACKS = 10;

async function checkAndRecord(
	context: IExecuteFunctions,
	keys: string[],
	maxEntries: number,
): Promise<{ new: string[] }> {
	const options = { mode: 'entries' as const, maxEntries };
	try {
		const result = await context.helpers.checkProcessedAndRecord(keys, 'node', options);
		return { new: result.new.map(String) };
	} catch {
		// The first insert of the row raced another process's (unique key): that row now exists.
		const result = await context.helpers.checkProcessedAndRecord(keys, 'node', options);
		return { new: result.new.map(String) };
	}
}

/**
 * Records a notification by its keys, [event key, hash key]: 'repeat' when either was recorded
 * before. The hash key goes first and alone: a replay with only `paymentId` changed (not hashed)
 * has the same hash and so adds nothing to the store.
 */
export async function recordInSharedStore(
	context: IExecuteFunctions,
	keys: readonly string[],
	maxEntries: number,
): Promise<StoreVerdict> {
	const [eventKey, hashKey] = keys;
	if ((await checkAndRecord(context, [hashKey], maxEntries)).new.length === 0) return 'repeat';
	if ((await checkAndRecord(context, [eventKey], maxEntries)).new.length === 0) return 'repeat';
	for (let readBack = 1; readBack <= READ_BACKS; readBack++) {
		// Spread out, so that two processes' read-backs do not meet in the same window again.
		await clock.wait(RACE_SETTLE_MS * (0.5 + Math.random()));
		// A key reported new again was erased by another process's write, and is now written again.
		const lost = (await checkAndRecord(context, [hashKey, eventKey], maxEntries)).new.length;
		if (lost === 0) break;
		context.logger.warn(`${LOST_RECORD}, so it was written again (read-back ${readBack})`);
	}
	return 'new';
}
