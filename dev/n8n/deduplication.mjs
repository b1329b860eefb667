// @ts-check
/**
 * n8n's deduplication store (`this.helpers.checkProcessedAndRecord`, `removeProcessed`, …) for the
 * engine runner, which has no database. n8n's own (n8n/dist/deduplication/deduplication-helper.js,
 * the same in 2.41.1 and 1.123.81) keeps one row per workflow and context (`n:<node id>` for scope
 * `node`, '' for `workflow`) in its `processed_data` table; in mode `entries` the row holds the list
 * of recorded values (MD5, base64), trimmed to the newest `maxEntries`. This keeps the same rows in
 * memory, with the same answers, so engine tests see what a real n8n would. What only a database
 * shows (several processes, the read-then-update race) is proved in real n8n by the e2e and queue
 * suites, not here.
 */
import { createHash } from 'node:crypto';

/**
 * @typedef {import('n8n-workflow').IDataDeduplicator} IDataDeduplicator
 * @typedef {import('n8n-workflow').ICheckProcessedContextData} ContextData
 * @typedef {import('n8n-workflow').DeduplicationScope} Scope
 * @typedef {import('n8n-workflow').ICheckProcessedOptions} Options
 * @typedef {import('n8n-workflow').DeduplicationItemTypes} Item
 * @typedef {{ mode: string, data: string[] }} Row
 */

/** @param {Scope} scope @param {ContextData} contextData */
function rowKey(scope, contextData) {
	if (!contextData.workflow.id) throw new Error('deduplication needs a saved workflow (an id)');
	if (scope === 'node' && !contextData.node) {
		throw new Error("No node information has been provided and so cannot use scope 'node'");
	}
	const context = scope === 'node' ? `n:${contextData.node?.id}` : '';
	return `${contextData.workflow.id}\u0000${context}`;
}

/** @param {Item} value */
function hashOf(value) {
	return createHash('md5').update(String(value)).digest('base64');
}

/** A deduplicator with n8n's semantics for mode `entries`; other modes are refused. */
export function createMemoryDeduplicator() {
	/** @type {Map<string, Row>} */
	const rows = new Map();

	/** @param {Options} options */
	const entriesOnly = (options) => {
		if (options.mode !== 'entries') {
			throw new Error(`the engine's deduplication store keeps mode "entries" only, not ${options.mode}`);
		}
	};

	/** @type {IDataDeduplicator & { rows: Map<string, Row> }} */
	const deduplicator = {
		rows,
		async checkProcessedAndRecord(items, scope, contextData, options) {
			entriesOnly(options);
			const key = rowKey(scope, contextData);
			const row = rows.get(key);
			if (row === undefined) {
				const data = items.map(hashOf);
				if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
				rows.set(key, { mode: options.mode, data });
				return { new: [...items], processed: [] };
			}
			if (row.mode !== options.mode) throw new Error('incompatible deduplication mode');
			const seen = new Set(row.data);
			/** @type {{ new: Item[], processed: Item[] }} */
			const result = { new: [], processed: [] };
			for (const item of items) {
				const hash = hashOf(item);
				if (seen.has(hash)) {
					result.processed.push(item);
				} else {
					result.new.push(item);
					row.data.push(hash);
					// n8n's helper checks each value against the row as it was read.
				}
			}
			if (options.maxEntries) row.data.splice(0, row.data.length - options.maxEntries);
			return result;
		},
		async removeProcessed(items, scope, contextData, options) {
			entriesOnly(options);
			const row = rows.get(rowKey(scope, contextData));
			if (row === undefined) return;
			for (const item of items) {
				const index = row.data.indexOf(hashOf(item));
				if (index !== -1) row.data.splice(index, 1);
			}
		},
		async clearAllProcessedItems(scope, contextData) {
			rows.delete(rowKey(scope, contextData));
		},
		async getProcessedDataCount(scope, contextData, options) {
			entriesOnly(options);
			return rows.get(rowKey(scope, contextData))?.data.length ?? 0;
		},
	};
	return deduplicator;
}
