// @ts-check
/**
 * Virtual time for the model: the node waits and reads the time only through shared/clock.ts, so the
 * built module's `clock` members are replaced in-process (install) and a wait costs no real time. The
 * world (world.mjs) reads the same clock, so "the effect shows after 5 s" is 5 s of the node's waits.
 * Virtual now = real now + the sum of the waits so far; every wait is recorded, for the timing property.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { PROJECT_ROOT } from '../../dev/paths.mjs';

const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));

/** @type {{ offsetMs: number, waits: number[] }} */
const state = { offsetMs: 0, waits: [] };

export const virtualClock = {
	now: () => Date.now() + state.offsetMs,
	/** @param {number} ms */
	wait: async (ms) => {
		state.waits.push(ms);
		state.offsetMs += Math.max(0, ms);
		await new Promise((resolve) => setImmediate(resolve));
	},
	/** The waits since the last call, and forgets them. */
	takeWaits() {
		return state.waits.splice(0);
	},
};

/** @type {{ now: () => number, wait: (ms: number) => Promise<void> } | undefined} */
let original;

/**
 * Replaces `now` and `wait` of dist/shared/clock.js (the module instance n8n-core loads the node
 * with: Node's own require cache). Run `npm run build` first.
 */
export function installVirtualClock() {
	if (original) return;
	const { clock } = builtClock();
	original = { now: clock.now, wait: clock.wait };
	clock.now = virtualClock.now;
	clock.wait = virtualClock.wait;
}

/**
 * Puts the real clock back: jest runs test files one after another in a worker that keeps Node's
 * require cache, and the next file's node must wait in real time.
 */
export function uninstallVirtualClock() {
	if (!original) return;
	Object.assign(builtClock().clock, original);
	original = undefined;
}

/** @returns {{ clock: { now: () => number, wait: (ms: number) => Promise<void> } }} */
const builtClock = () => require(path.join(PROJECT_ROOT, 'dist', 'shared', 'clock.js'));
