// @ts-check
/**
 * `npm run test:queue`: the held-payment examples (IntellectMoney Trigger → Capture by the confirmed
 * Invoice ID) in n8n 2.41.1's own queue mode: main, webhook processor and two workers on Postgres and
 * Redis, against the sandbox.
 * 1. Scale-out, the queue-mode example (examples/capture-when-payment-is-held-queue-mode.workflow.json:
 *    OK only once Respond to Webhook answers): 1,000 held invoices' notifications, several at a time,
 *    to main and webhook processor, with exact repeats at the same moment to both, repeats seconds
 *    later, repeats with only the unhashed paymentId changed and forged ones; halfway, a worker is
 *    killed (SIGKILL) while one of its executions has captured and waits for the answer (kill-moment.mjs),
 *    and started again.
 * 2. The held-payment example (examples/capture-when-payment-is-held.workflow.json: OK once the
 *    execution is created), where the trigger remembers repeats.
 * 3. That one with a second node that writes workflow static data.
 * 4. The cost of answering after the workflow: 40 invoices, one notification at a time, in each mode.
 * 5. Two workers recording in n8n's deduplication store at once (race.mjs): no record may be lost.
 * The witnesses: the sandbox's ledger, n8n's execution records in Postgres, the workers' logs.
 * IM_QUEUE_INVOICES / IM_QUEUE_SIDE_INVOICES change the sizes (1000 / 200) for a local experiment.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';

import {
	lastExecutionId,
	readExecutions,
	unfinishedCount,
	withErasedItems,
} from './executions.mjs';
import { printPhase, printRun } from './figures.mjs';
import { heldInvoices, sendPhase } from './load.mjs';
import { waitForCaptureHeldOn } from './kill-moment.mjs';
import { executionsByWorker, killAndRestartWorker } from './n8n-cluster.mjs';
import { phaseOutcome } from './outcome.mjs';
import { racePhase } from './race.mjs';
import { listening, say, startStack } from './stack.mjs';
import { processesMentioning } from './teardown.mjs';
import {
	answersAfterWorkflow,
	exampleFlow,
	storeOnlyFlow,
	withStaticDataWriter,
} from './workflows.mjs';

const INVOICES = Number(process.env.IM_QUEUE_INVOICES ?? 1000);
const SIDE_INVOICES = Number(process.env.IM_QUEUE_SIDE_INVOICES ?? 200);
const TIMING_INVOICES = 40;
/** Notifications sent at the very same moment in the race phase. */
const RACE_INVOICES = 40;
/** Notifications in flight at once ("several at a time"). */
const CONCURRENCY = 10;
/**
 * IntellectMoney publishes no retry policy (its docs say only that it repeats until it gets OK). A
 * receiver is given 30 s, then the notification is sent again 20 s later, 3 times: compressed from
 * the minutes-to-hours schedules of payment providers so the suite stays short.
 */
const RETRY_POLICY = {
	notificationTimeoutMs: 30_000,
	notificationRetries: 3,
	notificationRetryDelayMs: 20_000,
};
/** At the kill: the answers of at most this many captures are held this long (a slow IntellectMoney). */
const HELD_CAPTURES = 20;
const CAPTURE_HELD_MS = 8000;
/** Killed worker's executions end (n8n: lock 60 s + stall check 30 s + 30 s recheck) well within this. */
const DRAIN_TIMEOUT_MS = 6 * 60_000;

const queueExample = exampleFlow('capture-when-payment-is-held-queue-mode');
const atOnce = exampleFlow('capture-when-payment-is-held');
const atOnceWriter = withStaticDataWriter(
	atOnce,
	'imQueueWriter01',
	'9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
);
const storeOnly = storeOnlyFlow(atOnce, 'imQueueRace0001', '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d');
const suiteStarted = Date.now();

/** @type {Awaited<ReturnType<typeof startStack>>} */
let stack;
/** @type {number[]} */
const ports = [];

beforeAll(async () => {
	stack = await startStack({
		flows: [queueExample, atOnce, atOnceWriter, storeOnly],
		sandboxOptions: RETRY_POLICY,
	});
	const { n8n, postgres, redis } = stack;
	ports.push(
		postgres.port,
		redis.port,
		...[n8n.main, n8n.webhook, ...n8n.workers].flatMap((p) => p.ports),
	);
}, 15 * 60_000);

afterAll(async () => {
	if (!stack) return;
	printRun({
		seconds: (Date.now() - suiteStarted) / 1000,
		memoryPeaksMb: stack.memory.peaks,
		n8nVersion: stack.runtime.line.n8nVersion,
		nodeVersion: stack.runtime.nodeVersion,
		retryPolicy: RETRY_POLICY,
		concurrency: CONCURRENCY,
	});
	const failures = await stack.run.stopAll();
	// Nothing left behind: no process naming the run folder or of a group it started, no open port, no folder.
	const left = {
		failures,
		processes: [...processesMentioning(stack.run.runDir), ...stack.run.survivors()],
		ports: (await Promise.all(ports.map(async (p) => ((await listening(p)) ? p : 0)))).filter(
			Boolean,
		),
		folder: existsSync(stack.run.runDir),
	};
	say(`teardown: ${JSON.stringify(left)}`);
	expect(left).toEqual({ failures: [], processes: [], ports: [], folder: false });
}, 5 * 60_000);

/**
 * Runs a phase to the end (every notification answered or given up, no execution queued or running)
 * and judges it.
 * @param {{ flow: import('./workflows.mjs').PublishedFlow, prefix: string, count: number, killHalfway: boolean,
 *   plan: import('./load.mjs').PhasePlan, concurrency?: number }} phase
 */
async function runPhase(phase) {
	const { sandbox, postgres, n8n, cluster, run } = stack;
	// Phases may share a workflow: each reads only the executions created after it began.
	const afterExecution = lastExecutionId(postgres.psql);
	const invoices = heldInvoices(sandbox, phase.prefix, phase.count);
	const decoys = heldInvoices(sandbox, `${phase.prefix}-decoy`, 10);
	say(
		`${phase.flow.json.name}: ${invoices.length} held invoices, ${phase.concurrency ?? CONCURRENCY} notifications at a time`,
	);
	const halfway = async () => {
		const killed = n8n.workers[0];
		// The worker dies with a capture done but not yet answered OK: the case only a repeat recovers.
		const capturing = await waitForCaptureHeldOn({
			sandbox,
			psql: postgres.psql,
			n8nBin: stack.runtime.n8nBin,
			runDir: run.runDir,
			workerLog: killed.name,
			flow: phase.flow,
			afterExecution,
			heldCaptures: HELD_CAPTURES,
			heldMs: CAPTURE_HELD_MS,
			timeoutMs: 60_000,
		});
		say(
			`halfway: execution ${capturing} on ${killed.name} has captured, its answer held ${CAPTURE_HELD_MS / 1000} s; SIGKILL ${killed.name} (pid ${killed.process.pid}), then start it again`,
		);
		// What the dead worker had is read at once: n8n erases those executions' items when it gives up.
		const restart = await killAndRestartWorker(cluster, killed, () =>
			readExecutions(postgres.psql, stack.runtime.n8nBin, phase.flow, {
				afterId: afterExecution,
				unfinishedOnly: true,
			}),
		);
		n8n.workers.push(restart.restarted);
		ports.push(...restart.restarted.ports);
		say(
			`${restart.restarted.name} ready ${(restart.readyAfterMs / 1000).toFixed(0)} s after the kill; ${restart.seenWhileDown.length} executions were queued or running when it died`,
		);
		return { killedLog: killed.name, unfinishedAtKill: restart.seenWhileDown };
	};
	const result = await sendPhase({
		sandbox,
		urls: stack.urls(phase.flow),
		invoices,
		decoys,
		plan: phase.plan,
		concurrency: phase.concurrency ?? CONCURRENCY,
		...(phase.killHalfway ? { halfway } : {}),
	});
	const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
	while (unfinishedCount(postgres.psql, phase.flow.id) > 0) {
		if (Date.now() > drainDeadline) throw new Error('executions still queued or running');
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	const killed = /** @type {Awaited<ReturnType<typeof halfway>> | undefined} */ (result.halfway);
	const executions = readExecutions(postgres.psql, stack.runtime.n8nBin, phase.flow, {
		afterId: afterExecution,
	});
	const outcome = phaseOutcome({
		invoices,
		decoys,
		sent: result.sent,
		startedAt: result.startedAt,
		executions: killed ? withErasedItems(executions, killed.unfinishedAtKill) : executions,
		ledger: sandbox.ledger(),
		invoiceNow: (id) => sandbox.getInvoice(id),
		workers: executionsByWorker(run.runDir),
		attempts: sandbox.notifications,
		...(killed ? { killedLog: killed.killedLog } : {}),
	});
	printPhase(
		`${phase.flow.json.name}${answersAfterWorkflow(phase.flow) ? ' — OK after the workflow' : ' — OK when the execution is created'}`,
		outcome.figures,
	);
	return outcome;
}

/**
 * The promises every phase keeps.
 * @param {() => ReturnType<typeof phaseOutcome> | undefined} outcome
 */
function moneyPromises(outcome) {
	const v = () => /** @type {ReturnType<typeof phaseOutcome>} */ (outcome()).violations;
	test('every held invoice is captured exactly once, nothing refunded, no decoy touched', () => {
		expect({ notCapturedOnce: v().notCapturedOnce, decoysTouched: v().decoysTouched }).toEqual({
			notCapturedOnce: [],
			decoysTouched: [],
		});
	});
	test('no forged notification started anything; each was refused with a 4xx', () => {
		expect({ forgedStarted: v().forgedStarted, forgedNotRefused: v().forgedNotRefused }).toEqual({
			forgedStarted: [],
			forgedNotRefused: [],
		});
	});
	test('every execution a repeat started ends as a success reporting alreadyDone', () => {
		expect(v().repeatsNotAlreadyDone.slice(0, 20)).toEqual([]);
	});
	test('every genuine notification and exact repeat is answered OK in the end', () => {
		expect(v().genuineNotAnsweredOk.slice(0, 20)).toEqual([]);
	});
	test('no exact repeat sent after the first execution ended ran a step after the trigger', () => {
		const d = /** @type {ReturnType<typeof phaseOutcome>} */ (outcome()).downstreamRepeats;
		expect({ laterAfterFirstEnded: d.laterAfterFirstEnded }).toEqual({ laterAfterFirstEnded: 0 });
	});
}

describe('1. scale-out: the held-payment example for queue mode, a worker killed halfway', () => {
	/** @type {ReturnType<typeof phaseOutcome> | undefined} */
	let outcome;
	test(
		'the notifications are sent and every execution has ended',
		async () => {
			outcome = await runPhase({
				flow: queueExample,
				prefix: 'q1',
				count: INVOICES,
				killHalfway: true,
				plan: { simultaneousEvery: 10, laterEvery: 10, paymentIdEvery: 20, forgedEvery: 20 },
			});
		},
		30 * 60_000,
	);
	moneyPromises(() => outcome);
	test('both workers ran executions, the restarted one too', () => {
		const split = outcome?.figures.workers ?? {};
		expect(Object.keys(split).sort()).toEqual(['worker-1', 'worker-1-restarted', 'worker-2']);
		for (const [worker, count] of Object.entries(split))
			expect({ worker, ran: count > 0 }).toEqual({ worker, ran: true });
	});
	test("the kill cost executions, and the killed worker's invoices are captured in the end", () => {
		expect(outcome?.lost.length).toBeGreaterThan(0);
		expect(outcome?.violations.lostNotRecovered).toEqual([]);
	});
	test('an invoice whose execution died with the worker (not answered OK) is settled by its repeat', () => {
		// Run again (not captured yet), or found no longer held by IntellectMoney's state (captured).
		expect(
			(outcome?.recoveredByRepeat.length ?? 0) + (outcome?.answeredByState.length ?? 0),
		).toBeGreaterThan(0);
	});
	test('an invoice the dead execution had captured before answering: its repeat starts nothing (Paid) or ends alreadyDone', () => {
		expect(
			(outcome?.capturedBeforeDying.length ?? 0) + (outcome?.answeredByState.length ?? 0),
		).toBeGreaterThan(0);
	});
});

/**
 * A shorter phase on a flow answering OK at once, where the trigger keeps its record.
 * @param {string} title @param {import('./workflows.mjs').PublishedFlow} flow @param {string} prefix
 */
function sidePhase(title, flow, prefix) {
	describe(title, () => {
		/** @type {ReturnType<typeof phaseOutcome> | undefined} */
		let outcome;
		test(
			'the notifications are sent and every execution has ended',
			async () => {
				outcome = await runPhase({
					flow,
					prefix,
					count: SIDE_INVOICES,
					killHalfway: false,
					plan: { simultaneousEvery: 10, laterEvery: 5, paymentIdEvery: 20, forgedEvery: 20 },
				});
			},
			20 * 60_000,
		);
		moneyPromises(() => outcome);
	});
}

sidePhase(
	'2. the held-payment example, answering OK when the execution is created (the trigger remembers repeats)',
	atOnce,
	'q2',
);
sidePhase('3. the same with a second node that writes workflow static data', atOnceWriter, 'q3');

describe('4. what answering after the workflow costs: one notification at a time, originals only', () => {
	const NO_EXTRAS = { simultaneousEvery: 0, laterEvery: 0, paymentIdEvery: 0, forgedEvery: 0 };
	for (const [flow, prefix] of /** @type {const} */ ([
		[queueExample, 'q4a'],
		[atOnce, 'q4b'],
	])) {
		test(
			`${answersAfterWorkflow(flow) ? 'OK after the workflow' : 'OK when the execution is created'}: every invoice captured once, each answered OK`,
			async () => {
				const outcome = await runPhase({
					flow,
					prefix,
					count: TIMING_INVOICES,
					killHalfway: false,
					plan: NO_EXTRAS,
					concurrency: 1,
				});
				expect(outcome.violations).toEqual({
					notCapturedOnce: [],
					decoysTouched: [],
					forgedStarted: [],
					forgedNotRefused: [],
					repeatsNotAlreadyDone: [],
					lostNotRecovered: [],
					genuineNotAnsweredOk: [],
				});
			},
			10 * 60_000,
		);
	}
});

describe("5. n8n's deduplication store when both workers record at the same moment", () => {
	test(
		'notifications sent at once to both processes, then each exact repeat to the other: the guard stops the repeats; lost records measured',
		async () => {
			const race = await racePhase(stack, storeOnly, RACE_INVOICES);
			process.stderr.write(
				`\n── race in n8n's deduplication store (${RACE_INVOICES} at once, then their repeats)\n` +
					`downstream repeats: ${race.repeatsRanDownstream} of ${race.sent} repeats ran a step after the trigger (0 simultaneous, ${race.repeatsRanDownstream} later)\n` +
					`${JSON.stringify(race)}\n`,
			);
			expect(race).toMatchObject({
				firstAnsweredOk: RACE_INVOICES,
				repeatsAnsweredOk: RACE_INVOICES,
				firstRanDownstream: RACE_INVOICES,
			});
			// n8n's store reads then rewrites one row with no lock, and every check writes: records of
			// notifications written at the same instant by two workers can still be lost (measured and
			// printed above: 0 and 2 of 40 in two runs on 2026-12-08; docs/scale.md). The guard must stop
			// every repeat it does not lose, and most of them.
			expect(race.repeatsStoppedByGuard + race.repeatsRanDownstream).toBe(race.repeatExecutions);
			expect(race.repeatsRanDownstream).toBeLessThan(RACE_INVOICES / 4);
		},
		10 * 60_000,
	);
});
