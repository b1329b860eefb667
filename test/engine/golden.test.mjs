// @ts-check
/**
 * The output contract, one golden file per operation (NodeTestHarness style): each workflow fixture in
 * test/engine/workflows/ runs through n8n-core's engine against a fresh sandbox with the demo data,
 * on its start node's pinned input, and its IntellectMoney node's pinned data is the exact expected
 * output (test/support/golden.mjs), paired one to one with the input items unless an entry names its
 * `pairedItem` (Get Many: several items from one). A changed field name, value or type fails here.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { createEngine, CREDENTIAL_TYPE } from '../../dev/n8n/engine.mjs';
import { credentialFor, seedDemoData, startSandbox } from '../../dev/sandbox/index.mjs';
import { goldenMatcher, goldenWorkflows } from '../support/golden.mjs';
import { findLeaks, secretsOf, visibleTexts } from '../support/harness.mjs';

/** @type {Awaited<ReturnType<typeof createEngine>>} */
let engine;
/** @type {string[]} */
const seen = [];
/** @type {string[]} */
const secrets = [];
beforeAll(async () => {
	engine = await createEngine();
});
afterAll(() => {
	expect(findLeaks(seen, [...new Set(secrets)])).toEqual([]);
});

const cases = goldenWorkflows().filter(({ workflow }) => workflow.pinData?.IntellectMoney);

describe('every operation gives its golden output', () => {
	test('there is a golden file for each of the 9 operations', () => {
		const operations = cases.map(({ workflow }) => {
			const node = workflow.nodes.find((/** @type {any} */ n) => n.name === 'IntellectMoney');
			return `${node.parameters.resource}.${node.parameters.operation}`;
		});
		expect(new Set(operations)).toEqual(
			new Set([
				'purchase.capture',
				'purchase.createInvoice',
				'purchase.get',
				'purchase.getAll',
				'purchase.refund',
				'payout.create',
				'payout.execute',
				'payout.get',
				'account.getBalance',
			]),
		);
	});

	test.each(cases.map(({ name, workflow }) => [name, workflow]))('%s', async (_name, workflow) => {
		const sandbox = await startSandbox();
		try {
			seedDemoData(sandbox);
			engine.setCredentials({ [CREDENTIAL_TYPE]: credentialFor(sandbox) });
			const items = workflow.pinData['Manual Trigger'].map((/** @type {any} */ i) => i.json);
			const result = await engine.run(workflow, { items });
			seen.push(...visibleTexts(result));
			secrets.push(...secretsOf(sandbox));
			expect(result.status).toBe('success');
			const output = result.output('IntellectMoney');
			const pinned = workflow.pinData.IntellectMoney;
			// One output item per input item, unless the golden file pairs several with one (Get Many).
			expect(output.map((item) => item.pairedItem)).toEqual(
				pinned.map(
					(/** @type {any} */ entry, /** @type {number} */ i) => entry.pairedItem ?? { item: i },
				),
			);
			expect(output.map((item) => item.json)).toEqual(
				goldenMatcher(pinned.map((/** @type {any} */ i) => i.json)),
			);
		} finally {
			await sandbox.stop();
		}
	});
});
