// @ts-check
/**
 * Everything the queue suite starts is stopped and its folder removed, whatever happens:
 * - in order, by `stopAll()` (afterAll): each `add`ed stop, last started first;
 * - at once, on SIGINT, SIGTERM or an exit without `stopAll()`: every tracked process group is killed
 *   (SIGQUIT first where that is the clean way, e.g. Postgres's immediate shutdown), then the run
 *   folder is removed;
 * - and if this process itself is killed (SIGKILL, OOM), a detached reaper (reaper.mjs) that watches
 *   it does the same from the list of process groups kept in the run folder.
 * Every process is started in its own process group (`detached`), so a kill reaches its children too
 * (n8n's task runners, Postgres's backends) and Ctrl-C reaches only this process, which then stops
 * them in order.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REAPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reaper.mjs');
export const PROCESS_LIST = '.process-groups.json';

/**
 * @typedef {object} TrackedProcess
 * @property {number} pid  leader of its own process group
 * @property {'SIGQUIT' | 'SIGKILL'} [firstSignal]  sent to the leader before the group is killed
 */

/**
 * Whether a process still runs. A child that has exited but is not reaped yet (a zombie: this process
 * reaps only between event-loop turns, never during a synchronous wait) counts as gone.
 * @param {number} pid
 */
export function alive(pid) {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	try {
		// /proc/<pid>/stat: "pid (name) state …"; the name may hold spaces, so read after the last ')'.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

/** @param {number} ms */
function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Kills process groups at once and waits (at most 10 s) until their leaders are gone.
 * @param {TrackedProcess[]} processes
 */
export function killGroupsSync(processes) {
	for (const { pid, firstSignal } of processes) {
		if (firstSignal && firstSignal !== 'SIGKILL') {
			try {
				process.kill(pid, firstSignal);
			} catch {
				// already gone
			}
		}
	}
	const deadline = Date.now() + 10_000;
	const softDeadline = Date.now() + 3000;
	for (;;) {
		const left = processes.filter(({ pid }) => alive(pid));
		if (left.length === 0) break;
		if (Date.now() > softDeadline || left.every((p) => !p.firstSignal)) {
			for (const { pid } of left) {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}
		}
		if (Date.now() > deadline) break;
		sleepSync(100);
	}
	// Children outside the leader (a group whose leader died first) go with the group.
	for (const { pid } of processes) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// no such group any more
		}
	}
}

/**
 * A run folder under the system temp folder (readable by the `postgres` user, which runs the
 * database) and the teardown of everything started in it.
 * @param {string} prefix
 */
export function createRun(prefix) {
	const runDir = mkdtempSync(path.join(tmpdir(), prefix));
	chmodSync(runDir, 0o755);
	/** @type {Map<string, TrackedProcess>} */
	const tracked = new Map();
	/** @type {Map<string, number>} every process group ever started, for the final check */
	const everStarted = new Map();
	/** @type {Array<{ name: string, stop: () => Promise<void> }>} */
	const stops = [];
	let finished = false;

	const writeList = () => {
		if (finished) return;
		writeFileSync(path.join(runDir, PROCESS_LIST), JSON.stringify([...tracked.values()]));
	};

	const reaper = spawn(process.execPath, [REAPER, String(process.pid), runDir], {
		detached: true,
		stdio: 'ignore',
	});
	reaper.unref();

	/** Kills everything at once and removes the run folder (signals, exit). */
	function emergencyStop() {
		if (finished) return;
		finished = true;
		killGroupsSync([...tracked.values()]);
		rmSync(runDir, { recursive: true, force: true });
		if (reaper.pid && alive(reaper.pid)) process.kill(reaper.pid, 'SIGKILL');
	}

	/** @param {NodeJS.Signals} signal */
	const onSignal = (signal) => {
		process.stderr.write(`\n[queue] ${signal}: stopping every process of the run\n`);
		emergencyStop();
		process.exit(signal === 'SIGINT' ? 130 : 143);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	process.once('exit', emergencyStop);

	return {
		runDir,
		/** Registers a running process group for the emergency stop. @param {string} name @param {TrackedProcess} what */
		track(name, what) {
			tracked.set(name, what);
			everStarted.set(name, what.pid);
			writeList();
		},
		/** @param {string} name */
		untrack(name) {
			tracked.delete(name);
			writeList();
		},
		/** An orderly stop, run by stopAll (last added first). @param {string} name @param {() => Promise<void>} stop */
		add(name, stop) {
			stops.push({ name, stop });
		},
		/** Names of the process groups started in this run that still have a live member. */
		survivors() {
			const groups = liveProcessGroups();
			return [...everStarted].filter(([, pid]) => groups.has(pid)).map(([name]) => name);
		},
		/** Stops everything in order, then removes the run folder; returns the stops that failed. */
		async stopAll() {
			/** @type {string[]} */
			const failures = [];
			for (const { name, stop } of stops.reverse()) {
				try {
					await stop();
				} catch (error) {
					failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
				}
			}
			emergencyStop(); // whatever an orderly stop left, and the folder
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			process.off('exit', emergencyStop);
			return failures;
		},
	};
}

/** Process groups with at least one live (not zombie) member, from /proc. */
function liveProcessGroups() {
	const groups = new Set();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const [state, , , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (state !== 'Z') groups.add(Number(group));
		} catch {
			// exited meanwhile
		}
	}
	return groups;
}

/**
 * Processes whose command line names the run folder (what `ps` shows): none may be left.
 * @param {string} runDir
 */
export function processesMentioning(runDir) {
	const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
	return ps.stdout
		.split('\n')
		.filter((line) => line.includes(runDir) && !line.includes('reaper.mjs'))
		.map((line) => line.trim());
}
