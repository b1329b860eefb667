// @ts-check
/**
 * The trigger's records in n8n's deduplication store, against a store that behaves as n8n's does
 * between processes (n8n/dist/deduplication/deduplication-helper.js): each call reads the one row,
 * waits for the database, then writes the row whole; two first inserts at once fail on the unique
 * key. So records made at once erase each other unless the trigger reads them back. Real n8n with
 * two workers: test/queue/ (phase 5).
 */
import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

import { PROJECT_ROOT } from '../../dev/paths.mjs';

const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));
/** @type {{ recordInSharedStore: (context: any, keys: string[], maxEntries: number) => Promise<string>, LOST_RECORD: string }} */
const { recordInSharedStore, LOST_RECORD } = require(
	path.join(PROJECT_ROOT, 'dist/nodes/IntellectMoneyTrigger/sharedStore.js'),
);

const hash = (/** @type {string} */ value) => createHash('md5').update(value).digest('base64');

/**
 * One row, read-then-write with `ioMs` of database time in between, no lock (n8n's semantics).
 * @param {{ ioMs: number, uniqueViolations?: number }} options
 */
function racyStore(options) {
	/** @type {{ data: string[] } | undefined} */
	let row;
	let violations = options.uniqueViolations ?? 0;
	const io = () => new Promise((resolve) => setTimeout(resolve, options.ioMs));
	return {
		entries: () => [...(row?.data ?? [])],
		/** @param {string[]} items @param {string} _scope @param {{ maxEntries?: number }} opts */
		async checkProcessedAndRecord(items, _scope, opts) {
			const read = row ? { data: [...row.data] } : undefined;
			await io();
			if (read === undefined) {
				if (violations > 0) {
					violations--;
					throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
				}
				row = { data: items.map(hash).slice(-(opts.maxEntries ?? Infinity)) };
				return { new: items, processed: [] };
			}
			const seen = new Set(read.data);
			const result = { new: /** @type {string[]} */ ([]), processed: /** @type {string[]} */ ([]) };
			for (const item of items) {
				if (seen.has(hash(item))) result.processed.push(item);
				else {
					result.new.push(item);
					read.data.push(hash(item));
				}
			}
			row = { data: read.data.slice(-(opts.maxEntries ?? Infinity)) };
			return result;
		},
	};
}

/** A minimal execute() context for the store calls. @param {ReturnType<typeof racyStore>} store */
function contextOn(store) {
	/** @type {string[]} */
	const logs = [];
	const context = /** @type {any} */ ({
		helpers: { checkProcessedAndRecord: store.checkProcessedAndRecord },
		logger: { warn: (/** @type {string} */ m) => logs.push(m), info: () => {}, debug: () => {} },
	});
	return { context, logs };
}

/** @param {number} i */
const keysOf = (i) => [`event-${i}`, `hash-${i}`];

describe("n8n's deduplication store, read-then-write without a lock", () => {
	test('20 notifications recorded at the same moment: every record survives, each repeat is recognised', async () => {
		const store = racyStore({ ioMs: 5 });
		await store.checkProcessedAndRecord(['seed'], 'node', {});
		const { context, logs } = contextOn(store);
		const verdicts = await Promise.all(
			Array.from({ length: 20 }, (_, i) => recordInSharedStore(context, keysOf(i), 1000)),
		);
		expect(verdicts).toEqual(Array(20).fill('new'));
		// Without the read-back most of them would be gone: the race was real.
		expect(logs.filter((line) => line.startsWith(LOST_RECORD)).length).toBeGreaterThan(0);
		for (let i = 0; i < 20; i++) {
			expect(store.entries()).toEqual(expect.arrayContaining(keysOf(i).map(hash)));
		}
		const repeats = [];
		for (let i = 0; i < 20; i++) repeats.push(await recordInSharedStore(context, keysOf(i), 1000));
		expect(repeats).toEqual(Array(20).fill('repeat'));
	}, 30_000);

	test('two first inserts at once: the one that fails on the unique key is tried once more', async () => {
		const store = racyStore({ ioMs: 5, uniqueViolations: 1 });
		const { context } = contextOn(store);
		expect(await recordInSharedStore(context, keysOf(1), 1000)).toBe('new');
		expect(await recordInSharedStore(context, keysOf(1), 1000)).toBe('repeat');
	});

	test('a replay with only paymentId changed (same hash key) is a repeat and adds nothing', async () => {
		const store = racyStore({ ioMs: 1 });
		const { context } = contextOn(store);
		await recordInSharedStore(context, keysOf(1), 1000);
		const before = store.entries();
		for (let i = 0; i < 50; i++) {
			expect(await recordInSharedStore(context, [`event-other-${i}`, 'hash-1'], 1000)).toBe(
				'repeat',
			);
		}
		expect(store.entries()).toEqual(before);
	});

	test('bounded: at most maxEntries are kept, the oldest go first', async () => {
		const store = racyStore({ ioMs: 0 });
		const { context } = contextOn(store);
		for (let i = 0; i < 10; i++) await recordInSharedStore(context, keysOf(i), 6);
		expect(store.entries()).toHaveLength(6);
		expect(await recordInSharedStore(context, keysOf(9), 6)).toBe('repeat');
	}, 30_000);
});
