// @ts-check
/** The figures of the queue suite, printed on stderr (jest keeps stdout for its own report). */
import os from 'node:os';

/** @param {string} text */
const print = (text) => process.stderr.write(`${text}\n`);

/** @param {Record<string, number | null>} counts */
const list = (counts) =>
	Object.entries(counts)
		.map(([name, n]) => `${name} ${n}`)
		.join(', ');

/**
 * @param {string} title
 * @param {ReturnType<typeof import('./outcome.mjs').phaseOutcome>['figures']} f
 */
export function printPhase(title, f) {
	const { sandboxRetries, ...kinds } = f.notificationsSent;
	print(`\n── ${title}`);
	const d = f.downstreamRepeats;
	print(
		`downstream repeats: ${d.ran} of ${d.of} repeats ran a step after the trigger (${d.simultaneous} simultaneous, ${d.later} later)` +
			`; later ones sent after the first execution ended: ${d.laterAfterFirstEnded} of ${d.laterAfterFirstEndedSent}`,
	);
	print(`notifications sent: ${list(kinds)}; sandbox retries ${sandboxRetries}`);
	print(
		`genuine notifications received (retries included): ${f.genuinePostsReceived}; executions started: ${f.executions.total} (${list(f.executions.byStatus)}), lost with the killed worker: ${f.executions.lostWithKilledWorker} (${f.executions.lostBeforeStarting} of them taken but not started; invoices whose repeat then ran to success: ${f.executions.lostThenRecoveredByRepeat}, ${f.executions.lostAfterCapturing} of them captured by the lost execution)`,
	);
	print(
		`captures: ${f.captures.captured} of ${f.captures.invoices} invoices, ${f.captures.ledgerTotal} in the ledger; ${f.capturesPerSecond} per second (${f.executionsPerSecond} executions per second); sending took ${f.sendingSeconds} s; the queue drained ${f.drainSeconds} s after the last notification`,
	);
	print(
		`duplicates: caught by the trigger ${f.duplicates.caughtByTrigger} ` +
			`(${f.duplicates.stoppedInExecutionByTrigger} of them in an execution it started, by n8n's deduplication store), ` +
			`executions that ran a step after the trigger ${f.duplicates.executionsThatRanDownstream}, by the capture (alreadyDone) ${f.duplicates.caughtByCaptureAlreadyDone}, refused by IntellectMoney (error executions) ${f.duplicates.refusedByIntellectMoneyAsErrors}, other errors ${f.duplicates.otherErrors}`,
	);
	const { retriesThatStartedAnExecution, ...repeatKinds } = f.duplicates.byKind;
	print(
		`repeats that started nothing / started an execution: ${Object.entries(repeatKinds)
			.map(
				([kind, k]) =>
					`${kind} ${k.startedNothing}/${k.startedExecution} of ${k.sent} (${k.refused} refused)`,
			)
			.join(', ')}; sandbox retries that started an execution ${retriesThatStartedAnExecution}`,
	);
	print(`answer to a first delivery: median ${f.answerMs.median} ms, p90 ${f.answerMs.p90} ms`);
	print(`executions per worker: ${list(f.workers)}`);
}

/**
 * @param {{ seconds: number, memoryPeaksMb: Record<string, number>, n8nVersion: string, nodeVersion: string,
 *   retryPolicy: Record<string, number>, concurrency: number }} run
 */
export function printRun(run) {
	const cpus = os.cpus();
	print(`\n── run`);
	print(
		`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, load average ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}; n8n ${run.n8nVersion} on Node ${run.nodeVersion}`,
	);
	print(`senders in flight: ${run.concurrency}; sandbox retry policy: ${list(run.retryPolicy)}`);
	print(`peak resident memory (MB, with child processes): ${list(run.memoryPeaksMb)}`);
	print(`suite: ${run.seconds.toFixed(0)} s`);
}
