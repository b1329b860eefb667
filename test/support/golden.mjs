// @ts-check
/**
 * Golden files, NodeTestHarness style (n8n-io/n8n packages/core/nodes-testing): a workflow fixture
 * whose start node's pinned data is the input and whose IntellectMoney node's pinned data is the
 * expected output. What the sandbox makes up anew each time is written as a placeholder:
 * `<any guid>`, `<any invoice id>` (3 and 9 digits), `<any date>` (IntellectMoney's
 * `yyyy-MM-dd HH:mm:ss`), `<any moscow time>` (the node's ISO 8601 with `+03:00`), also inside a
 * longer string.
 */
import { expect } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GOLDEN_DIR = path.join(here, '..', 'engine', 'workflows');

const PLACEHOLDERS = {
	'<any guid>': '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
	'<any invoice id>': '3\\d{9}',
	'<any date>': '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}',
	'<any moscow time>': '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+03:00',
};
const ANY = new RegExp(Object.keys(PLACEHOLDERS).join('|'), 'g');

/** @param {string} text */
function escape(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The expected value with its placeholders as jest matchers.
 * @param {unknown} expected @returns {unknown}
 */
export function goldenMatcher(expected) {
	if (typeof expected === 'string') {
		if (!ANY.test(expected)) return expected;
		ANY.lastIndex = 0;
		const pattern = expected
			.split(ANY)
			.map(escape)
			.reduce((joined, part, index) => {
				const placeholder = expected.match(ANY)?.[index - 1];
				return index === 0
					? part
					: `${joined}${PLACEHOLDERS[/** @type {keyof typeof PLACEHOLDERS} */ (placeholder)]}${part}`;
			}, '');
		return expect.stringMatching(new RegExp(`^${pattern}$`));
	}
	if (Array.isArray(expected)) return expected.map(goldenMatcher);
	if (typeof expected === 'object' && expected !== null) {
		return Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, goldenMatcher(v)]));
	}
	return expected;
}

/**
 * The golden workflow files, by name.
 * @returns {Array<{ name: string, file: string, workflow: any }>}
 */
export function goldenWorkflows() {
	return readdirSync(GOLDEN_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			name: file.replace(/\.json$/, ''),
			file: path.join(GOLDEN_DIR, file),
			workflow: JSON.parse(readFileSync(path.join(GOLDEN_DIR, file), 'utf8')),
		}));
}
