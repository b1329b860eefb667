// @ts-check
/**
 * Replays every schedule saved in test/model/regressions/ (by `npm run fuzz`, or written by hand)
 * through the real node against the model's world: each must now hold every property. Fast: only the
 * saved cases run, in virtual time.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { uninstallVirtualClock } from './clock.mjs';
import { runSchedule } from './schedule.mjs';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions');
const cases = readdirSync(folder)
	.filter((name) => name.endsWith('.json'))
	.sort()
	.map(
		(name) =>
			/** @type {[string, { schedule: import('./schedule.mjs').Schedule }]} */ ([
				name,
				JSON.parse(readFileSync(path.join(folder, name), 'utf8')),
			]),
	);

afterAll(() => uninstallVirtualClock());

describe('saved model schedules hold every property', () => {
	test('there are saved schedules to replay', () => {
		expect(cases.length).toBeGreaterThan(0);
	});

	test.each(cases)('%s', async (_name, saved) => {
		expect(await runSchedule(saved.schedule)).toBeUndefined();
	});
});
