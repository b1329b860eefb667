// @ts-check
/**
 * fast-check arbitraries of the model: a world, the targets' starting states, and commands
 * (`fc.commands`) run by `fc.asyncModelRun` against a schedule (schedule.mjs): run a workflow with a
 * money-moving operation on random targets (some shared between items), Continue On Fail on or off,
 * Retry On Fail with 1–5 tries, Parallel Requests on or off, a fault for each request; or re-run the
 * last workflow as an operator would (a new execution, the same deduplication store).
 */
import fc from 'fast-check';

import { MONEY_FAULTS, READ_FAULTS, WORLD_CHOICES } from './worlds.mjs';
import { OPERATION_NAMES } from './workflows.mjs';

/**
 * @typedef {import('./schedule.mjs').CommandData} CommandData
 * @typedef {import('./schedule.mjs').Schedule} Schedule
 * @typedef {{ ran: boolean, executed: CommandData[] }} Model
 * @typedef {{ run: (command: CommandData) => Promise<string[]> }} Real
 */

/** A schedule's violations, thrown by a command so that fast-check shrinks the schedule. */
export class Violation extends Error {
	/** @param {string[]} violations */
	constructor(violations) {
		super(violations.join('; '));
		this.violations = violations;
	}
}

/** @implements {fc.AsyncCommand<Model, Real>} */
class ModelCommand {
	/** @param {CommandData} data */
	constructor(data) {
		this.data = data;
	}

	/** A re-run needs a run before it. @param {Readonly<Model>} model */
	check(model) {
		return this.data.kind === 'run' || model.ran;
	}

	/** @param {Model} model @param {Real} real */
	async run(model, real) {
		model.executed.push(this.data);
		if (this.data.kind === 'run') model.ran = true;
		const violations = await real.run(this.data);
		if (violations.length > 0) throw new Violation(violations);
	}

	toString() {
		return JSON.stringify(this.data);
	}
}

/** Mostly no fault (so that money does move), every kind possible; waiting out a Timeout costs a real second. */
const moneyFault = fc.oneof(
	{ arbitrary: fc.constant(/** @type {const} */ ('none')), weight: 24 },
	...MONEY_FAULTS.filter((kind) => kind !== 'none').map((kind) => ({
		arbitrary: fc.constant(kind),
		weight: kind === 'late' ? 1 : 3,
	})),
);
const readFault = fc.oneof(
	{ arbitrary: fc.constant(/** @type {const} */ ('none')), weight: 20 },
	...READ_FAULTS.filter((kind) => kind !== 'none').map((kind) => ({
		arbitrary: fc.constant(kind),
		weight: 3,
	})),
);
const faults = {
	moneyFaults: fc.array(moneyFault, { maxLength: 4 }),
	readFaults: fc.array(readFault, { maxLength: 4 }),
};

const runCommand = fc
	.record({
		kind: fc.constant(/** @type {const} */ ('run')),
		operation: fc.constantFrom(...OPERATION_NAMES),
		targets: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 3 }),
		badLast: fc.oneof(
			{ arbitrary: fc.constant(false), weight: 4 },
			{ arbitrary: fc.constant(true), weight: 1 },
		),
		continueOnFail: fc.boolean(),
		tries: fc.oneof(
			{ arbitrary: fc.constant(1), weight: 2 },
			{ arbitrary: fc.integer({ min: 2, max: 5 }), weight: 3 },
		),
		parallel: fc.boolean(),
		...faults,
	})
	.map((data) => new ModelCommand(data));

const rerunCommand = fc
	.record({ kind: fc.constant(/** @type {const} */ ('rerun')), ...faults })
	.map((data) => new ModelCommand(data));

export const worldArbitrary = fc.record({
	repeat: fc.constantFrom(...WORLD_CHOICES.repeat),
	createRepeat: fc.constantFrom(...WORLD_CHOICES.createRepeat),
	showAfterMs: fc.constantFrom(...WORLD_CHOICES.showAfterMs),
	personalLagMs: fc.constantFrom(...WORLD_CHOICES.personalLagMs),
});

/** A world, the two invoices' starting states, and up to 3 commands. */
export const scheduleArbitrary = fc.record({
	world: worldArbitrary,
	invoiceStates: fc.tuple(
		fc.constantFrom(/** @type {const} */ ('Held'), 'Paid'),
		fc.constantFrom(/** @type {const} */ ('Held'), 'Paid'),
	),
	commands: fc.commands([runCommand, runCommand, rerunCommand], { maxCommands: 3 }),
});

/**
 * Runs the commands of a drawn schedule with fast-check's model runner.
 * @param {Iterable<fc.AsyncCommand<Model, Real>>} commands @param {Real} real @param {Model} model
 */
export async function runCommands(commands, real, model) {
	await fc.asyncModelRun(() => ({ model, real }), commands);
}
