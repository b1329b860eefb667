// @ts-check
/**
 * The model-based run: `runs` schedules drawn from `seed` (commands.mjs), each played by a fresh world
 * against the real node; every violating schedule is counted (the run goes on), and the first one is
 * replayed by its seed and path and shrunk by fast-check to a smallest schedule that still violates.
 */
import fc from 'fast-check';

import { runCommands, scheduleArbitrary, Violation } from './commands.mjs';
import { openSchedule } from './schedule.mjs';
import { worldName } from './worlds.mjs';

/**
 * @typedef {import('./schedule.mjs').Schedule} Schedule
 * @typedef {{ schedule: Schedule, violations: string[] }} Finding
 * @typedef {object} FuzzReport
 * @property {number} schedules
 * @property {number} worlds  distinct worlds played
 * @property {number} violating  schedules with a violation
 * @property {number | undefined} firstAt  how many schedules it took to find the first (1-based)
 * @property {Record<string, number>} kinds  violating schedules per kind of violation
 * @property {Array<{ seed: number, path: string, kind: string, finding: Finding }>} shrunk  the first schedule of
 *   each kind (at most `shrinkKinds` kinds), shrunk to a smallest one that still shows that kind
 */

/**
 * Plays one drawn schedule; its violations and the commands run up to them, or undefined.
 * @param {{ world: Schedule['world'], invoiceStates: Schedule['invoiceStates'], commands: Iterable<any> }} drawn
 * @returns {Promise<Finding | undefined>}
 */
export async function play(drawn) {
	const open = await openSchedule(drawn.world, drawn.invoiceStates);
	/** @type {import('./commands.mjs').Model} */
	const model = { ran: false, executed: [] };
	const schedule = () => ({
		world: drawn.world,
		invoiceStates: drawn.invoiceStates,
		commands: model.executed,
	});
	try {
		await runCommands(drawn.commands, open, model);
		return undefined;
	} catch (error) {
		const violations = error instanceof Violation ? error.violations : [`engine: ${String(error)}`];
		return { schedule: schedule(), violations };
	} finally {
		await open.close();
	}
}

/** A violation's kind: its text without the targets' ids and counts. @param {string} violation */
export const kindOf = (violation) =>
	violation
		.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<payout>')
		.replace(/\b3\d{9}\b/g, '<invoice>')
		.replace(/model-new-order-\d/g, '<order>')
		.replace(/item \d+/g, 'item')
		.replace(/\d+ times/g, 'N times')
		.replace(/request \d+/g, 'request');

/**
 * @param {{ runs: number, seed: number, shrinkKinds?: number, onProgress?: (done: number, violating: number) => void }} options
 * @returns {Promise<FuzzReport>}
 */
export async function fuzz({ runs, seed, shrinkKinds = 3, onProgress }) {
	/** @type {Set<string>} */
	const worlds = new Set();
	/** @type {Record<string, number>} */
	const kinds = {};
	let index = 0;
	let violating = 0;
	/** @type {number | undefined} */
	let firstIndex;
	/** The first schedule of each kind. @type {Map<string, number>} */
	const firstOfKind = new Map();
	const counting = fc.asyncProperty(scheduleArbitrary, async (drawn) => {
		const at = index++;
		worlds.add(worldName(drawn.world));
		const finding = await play(drawn);
		if (finding) {
			violating += 1;
			firstIndex ??= at;
			for (const kind of new Set(finding.violations.map(kindOf))) {
				kinds[kind] = (kinds[kind] ?? 0) + 1;
				if (!firstOfKind.has(kind)) firstOfKind.set(kind, at);
			}
		}
		onProgress?.(index, violating);
		return true;
	});
	await fc.check(counting, { seed, numRuns: runs });
	const shrunk = [];
	for (const [kind, at] of [...firstOfKind].slice(0, shrinkKinds)) {
		const one = await shrink(seed, at, kind);
		if (one) shrunk.push({ ...one, kind });
	}
	return {
		schedules: index,
		worlds: worlds.size,
		violating,
		firstAt: firstIndex === undefined ? undefined : firstIndex + 1,
		kinds,
		shrunk,
	};
}

/**
 * Replays the schedule at `runIndex` of `seed` and lets fast-check shrink it: the smallest schedule
 * found that still shows a violation of `kind`, with the path that replays it.
 * @param {number} seed @param {number} runIndex @param {string} kind
 */
async function shrink(seed, runIndex, kind) {
	/** @type {Finding | undefined} */
	let last;
	const failing = fc.asyncProperty(scheduleArbitrary, async (drawn) => {
		const finding = await play(drawn);
		if (finding?.violations.some((violation) => kindOf(violation) === kind)) {
			last = finding;
			throw new Violation(finding.violations);
		}
	});
	const result = await fc.check(failing, { seed, path: String(runIndex), endOnFailure: false });
	if (!result.failed || !last) return undefined;
	return { seed, path: result.counterexamplePath ?? String(runIndex), finding: last };
}
