// @ts-check
/**
 * End-to-end: the example "Check my IntellectMoney setup (read-only)" in a real n8n (the 2.x line),
 * `n8n execute` against the sandbox: every checkable inference held; then with the sandbox playing a
 * live API without personal/payout/getOperationState (dev/sandbox/live-differs.mjs) the payout-state
 * fact not held and the others held. The sandbox's log is the witness that only reads were sent.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureN8n, installPackage, n8nCommand, PROJECT_ROOT } from '../../dev/n8n/index.mjs';
import { credentialFor, seedDemoData, startSandbox } from '../../dev/sandbox/index.mjs';
import { findLeaks, secretsOf } from '../support/harness.mjs';
import { importIntoN8n, parseRawOutput } from '../support/n8n-rest.mjs';

const READS = [
	'personal/user/getUserToken',
	'personal/payment/getAccountData',
	'personal/payment/getInvoicesHistory',
	'personal/payout/getOperationState',
];
const NOT_CHECKABLE = ['refund-hash', 'capture-sign-invoice-id', 'paid-after-capture', 'sbp-phone'];

describe('n8n 2.x: Check my IntellectMoney setup (read-only)', () => {
	/** @type {Awaited<ReturnType<typeof ensureN8n>>} */
	let runtime;
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandbox;
	/** @type {string} */
	let userFolder;

	beforeAll(async () => {
		runtime = await ensureN8n('2.x');
		userFolder = mkdtempSync(path.join(tmpdir(), 'im-e2e-setup-'));
		installPackage(userFolder);
		sandbox = await startSandbox();
		seedDemoData(sandbox);
		const file = path.join(PROJECT_ROOT, 'examples', 'check-setup-read-only.workflow.json');
		const workflow = JSON.parse(readFileSync(file, 'utf8'));
		// The example leaves the notification empty: here one the sandbox signed for invoice 3000001001.
		const what = workflow.nodes.find((/** @type {any} */ node) => node.name === 'What to check');
		const input = JSON.parse(what.parameters.jsonOutput);
		input.notificationBody = new URLSearchParams(sandbox.notificationFor('3000001001')).toString();
		what.parameters.jsonOutput = JSON.stringify(input);
		await importIntoN8n(runtime, userFolder, {
			credentials: [
				{
					id: 'imSandboxCred01',
					name: 'IntellectMoney sandbox',
					type: 'intellectMoneyApi',
					data: credentialFor(sandbox),
				},
			],
			workflows: [workflow],
		});
	}, 30 * 60_000);

	afterAll(async () => {
		await sandbox?.stop();
		if (userFolder) rmSync(userFolder, { recursive: true, force: true });
	});

	/** The check's items, fact → result, and every item. */
	const runCheck = async () => {
		sandbox.clearLog();
		const result = await n8nCommand(runtime, userFolder, [
			'execute',
			'--id=imExampleSetup01',
			'--rawOutput',
		]);
		expect(result.code).toBe(0);
		const run = parseRawOutput(result.stdout);
		const items = (run?.data?.resultData?.runData?.['Check setup']?.[0]?.data?.main?.[0] ?? []).map(
			(/** @type {any} */ item) => item.json,
		);
		expect(findLeaks([JSON.stringify(items)], secretsOf(sandbox))).toEqual([]);
		expect(
			sandbox.log.map((entry) => entry.endpoint).filter((endpoint) => !READS.includes(endpoint)),
		).toEqual([]);
		return Object.fromEntries(items.map((/** @type {any} */ item) => [item.fact, item.result]));
	};

	test('all held against the sandbox; without getOperationState only the payout facts change', async () => {
		const held = await runCheck();
		expect(Object.keys(held)).toHaveLength(13);
		for (const [fact, result] of Object.entries(held)) {
			expect([fact, result]).toEqual([fact, NOT_CHECKABLE.includes(fact) ? 'not checked' : 'held']);
		}
		sandbox.playLiveDiffers(['noOperationState']);
		try {
			const differs = await runCheck();
			expect(differs).toEqual({
				...held,
				'payout-state-endpoint': 'not held',
				'payout-state-words': 'not checked',
			});
		} finally {
			sandbox.playLiveDiffers([]);
		}
	});
});
