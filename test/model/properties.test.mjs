// @ts-check
/**
 * The model's properties can fail: each one, given a run that breaks it, says so, and says nothing
 * of a run that keeps it (the fuzz's zero would mean nothing otherwise).
 */
import { describe, expect, test } from '@jest/globals';

import {
	failureTellsTheTruth,
	movedAtMostOnce,
	noSecrets,
	outputsTellTheTruth,
	timeoutsBounded,
} from './properties.mjs';

const KEY = 'capture:3000071001';
/** @param {Partial<import('./world.mjs').WorldRequest>} fields @returns {import('./world.mjs').WorldRequest} */
const request = (fields) => ({
	seq: 0,
	path: 'merchant/purchaseToPaid',
	fields: {},
	headers: {},
	fault: 'none',
	carriedOut: true,
	target: KEY,
	openedAt: 0,
	closedAt: 5,
	...fields,
});
/** @param {Partial<import('./properties.mjs').CommandRun>} fields @returns {import('./properties.mjs').CommandRun} */
const run = (fields) => ({
	items: [{ operation: 'captureById', target: 0, bad: false, key: KEY }],
	output: [{ json: { captured: true, alreadyDone: false }, pairedItem: { item: 0 } }],
	error: undefined,
	texts: [],
	requests: [request({})],
	before: { [KEY]: 0 },
	after: { [KEY]: 1 },
	waits: [2000, 3000],
	...fields,
});
const world = /** @type {any} */ ({ createdPayouts: new Set(), created: new Map() });

describe('each property holds for a run that keeps it and fails for one that breaks it', () => {
	test('at most once', () => {
		expect(movedAtMostOnce(run({}))).toEqual([]);
		expect(movedAtMostOnce(run({ after: { [KEY]: 2 } }))).toEqual([
			`at most once: ${KEY} moved 2 times`,
		]);
	});

	test('outputs tell the truth', () => {
		expect(outputsTellTheTruth(run({}), world)).toEqual([]);
		expect(
			outputsTellTheTruth(run({ requests: [request({ carriedOut: false })] }), world),
		).toHaveLength(1);
		const alreadyDone = [{ json: { captured: true, alreadyDone: true }, pairedItem: { item: 0 } }];
		expect(
			outputsTellTheTruth(run({ output: alreadyDone, after: { [KEY]: 0 } }), world),
		).toHaveLength(1);
		const nothingSent = [
			{ json: { error: 'Nothing was sent', outcome: 'notSent' }, pairedItem: { item: 0 } },
		];
		expect(outputsTellTheTruth(run({ output: nothingSent }), world)).toHaveLength(1);
	});

	test('a failure names what moved, in its own words (the input items in the run data do not count)', () => {
		const named = {
			message: 'Could not capture invoice 3000071002',
			description: 'invoice 3000071001 was captured',
		};
		const unnamed = { message: 'Could not capture invoice 3000071002' };
		const texts = ['{"invoiceId":"3000071001"}'];
		expect(failureTellsTheTruth(run({ output: [], error: named, texts }))).toEqual([]);
		expect(failureTellsTheTruth(run({ output: [], error: unnamed, texts }))).toHaveLength(1);
	});

	test('no secrets', () => {
		expect(noSecrets(run({ texts: ['all fine'] }), ['SECRET-123456'])).toEqual([]);
		expect(
			noSecrets(run({ texts: ['{"token":"SECRET-123456"}'] }), ['SECRET-123456']),
		).toHaveLength(1);
	});

	test('timeouts bounded', () => {
		expect(timeoutsBounded(run({}))).toEqual([]);
		expect(
			timeoutsBounded(run({ requests: [request({ fault: 'late', closedAt: 4000 })] })),
		).toHaveLength(1);
		expect(timeoutsBounded(run({ waits: [60_000] }))).toHaveLength(1);
		expect(
			timeoutsBounded(run({ requests: [request({ path: 'elsewhere/merchant/purchaseToPaid' })] })),
		).toHaveLength(1);
	});
});
