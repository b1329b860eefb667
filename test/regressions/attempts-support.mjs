// @ts-check
/**
 * The attempts regressions (issue 20, "Why") as model schedules: a world that carries every repeat
 * out (so each send the node makes is money moved), commands through the real node, the world's
 * ledger and the model's properties (test/model/properties.mjs) as the judge.
 */
import { afterAll } from '@jest/globals';

import { uninstallVirtualClock } from '../model/clock.mjs';
import { openSchedule } from '../model/schedule.mjs';

afterAll(() => uninstallVirtualClock());

/**
 * A world where a repeat is carried out again; the effect shows as `showAfterMs` says.
 * @param {Partial<import('../model/worlds.mjs').World>} [overrides]
 * @returns {import('../model/worlds.mjs').World}
 */
export const repeatingWorld = (overrides = {}) => ({
	repeat: 'carriedOut',
	createRepeat: 'second',
	showAfterMs: 'never',
	personalLagMs: 0,
	...overrides,
});

/**
 * A run command (schedule.mjs RunCommandData): one item on target 0, no Continue On Fail, one try.
 * @param {import('../model/workflows.mjs').Operation} operation
 * @param {Partial<import('../model/schedule.mjs').RunCommandData>} [overrides]
 * @returns {import('../model/schedule.mjs').RunCommandData}
 */
export const runCommand = (operation, overrides = {}) => ({
	kind: 'run',
	operation,
	targets: [0],
	badLast: false,
	continueOnFail: false,
	tries: 1,
	parallel: false,
	moneyFaults: [],
	readFaults: [],
	...overrides,
});

/**
 * An operator's re-run of the last workflow.
 * @param {import('../model/worlds.mjs').MoneyFault[]} [moneyFaults]
 * @returns {import('../model/schedule.mjs').RerunCommandData}
 */
export const rerun = (moneyFaults = []) => ({ kind: 'rerun', moneyFaults, readFaults: [] });

/**
 * Plays the commands in the world; every command's violations, the final ledger and the last run.
 * @param {import('../model/worlds.mjs').World} world @param {Array<'Held' | 'Paid'>} invoiceStates
 * @param {import('../model/schedule.mjs').CommandData[]} commands
 */
export async function play(world, invoiceStates, commands) {
	const open = await openSchedule(world, invoiceStates);
	try {
		/** @type {string[]} */
		const violations = [];
		for (const command of commands) violations.push(...(await open.run(command)));
		return { violations, ledger: open.server.ledger(), last: open.lastRun(), log: open.server.log };
	} finally {
		await open.close();
	}
}
