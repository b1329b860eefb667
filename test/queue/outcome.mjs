// @ts-check
/**
 * What a load phase did, from three witnesses that do not depend on each other: the sandbox's ledger
 * (money moved), n8n's execution records in Postgres (what ran and how it ended) and the workers' logs
 * (which worker ran what, and what a killed worker never finished). Returns the figures to print and,
 * for each promise of the suite, the list of what broke it (empty = kept).
 */

/** @typedef {import('./load.mjs').Sent} Sent */
/** @typedef {import('./executions.mjs').ExecutionRecord} ExecutionRecord */
/** @typedef {import('../../dev/sandbox/index.mjs').Invoice} Invoice */

/** @param {number[]} values @param {number} q */
function quantile(values, q) {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** @param {string | null} iso */
const time = (iso) => (iso ? Date.parse(iso) : NaN);

/**
 * @param {object} input
 * @param {Invoice[]} input.invoices  the genuine held invoices of the phase
 * @param {Invoice[]} input.decoys  held invoices no genuine notification names
 * @param {Sent[]} input.sent
 * @param {number} input.startedAt  when the phase began sending
 * @param {ExecutionRecord[]} input.executions  the phase workflow's executions
 * @param {import('../../dev/sandbox/index.mjs').Ledger} input.ledger
 * @param {(id: string) => Invoice | undefined} input.invoiceNow  the sandbox's current record
 * @param {Record<string, { started: Set<number>, finished: Set<number> }>} input.workers
 * @param {string} [input.killedLog]  the log of the worker's life that was killed
 * @param {import('../../dev/sandbox/index.mjs').NotificationEntry[]} input.attempts  every POST the sandbox made
 */
export function phaseOutcome(input) {
	const { invoices, decoys, sent, executions, ledger, workers } = input;
	const genuineOrders = new Set(invoices.map((inv) => inv.orderId));
	const ids = new Set(executions.map((e) => e.id));

	// Executions a killed worker started and never finished, and jobs it had taken but not started:
	// n8n ends both with its stall error, never retried (maxStalledCount 0), and erases their data;
	// the caller puts back the trigger items read while the worker was down (withErasedItems).
	const killed = input.killedLog ? workers[input.killedLog] : undefined;
	const startedByKilled = [...(killed?.started ?? [])].filter(
		(id) => ids.has(id) && !killed?.finished.has(id),
	);
	const stalled = executions.filter((e) =>
		/failed to be processed too many times/.test(e.error ?? ''),
	);
	const stalledWithoutItem = stalled.filter((e) => e.trigger === null);
	const lost = new Set([...startedByKilled, ...stalled.map((e) => e.id)]);
	// A lost execution's notification is not answered OK (no answer, or n8n's error once it gives up).
	const notAnsweredOk = input.attempts.filter((n) => genuineOrders.has(n.fields.orderId) && !n.ok);

	/** @type {Map<string, ExecutionRecord[]>} */
	const byOrder = new Map();
	/** @type {ExecutionRecord[]} executions whose trigger item names no genuine order */
	const stray = [];
	/** Executions the trigger's repeat guard stopped: no item, so no step after it ran. */
	const guarded = executions.filter((e) => e.guarded && !e.ranDownstream);
	for (const e of executions) {
		const orderId = e.trigger?.orderId;
		if (guarded.includes(e)) continue;
		if (typeof orderId === 'string' && genuineOrders.has(orderId)) {
			byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), e]);
		} else if (!stalledWithoutItem.includes(e)) {
			stray.push(e);
		}
	}

	const violations = {
		/** @type {string[]} */ notCapturedOnce: [],
		/** @type {string[]} */ decoysTouched: [],
		/** @type {string[]} */ forgedStarted: [],
		/** @type {string[]} */ forgedNotRefused: [],
		/** @type {string[]} */ repeatsNotAlreadyDone: [],
		/** @type {string[]} */ lostNotRecovered: [],
		/** @type {string[]} */ genuineNotAnsweredOk: [],
	};

	/** @type {string[]} orders whose execution was lost and a later one, started by a repeat, succeeded */
	const recoveredByRepeat = [];
	/** @type {string[]} orders whose lost execution had captured; the repeat started nothing (state: Paid) */
	const answeredByState = [];
	/** @type {string[]} of those, orders the lost execution had captured (the repeat found alreadyDone) */
	const capturedBeforeDying = [];
	let capturing = 0;
	let alreadyDone = 0;
	let refused = 0;
	let otherErrors = 0;
	for (const inv of invoices) {
		const captures = ledger.captures[inv.invoiceId] ?? 0;
		if (captures !== 1)
			violations.notCapturedOnce.push(`${inv.orderId}: captured ${captures} times`);
		if ((ledger.refunds[inv.invoiceId] ?? 0) !== 0)
			violations.notCapturedOnce.push(`${inv.orderId}: refunded`);
		const runs = byOrder.get(inv.orderId) ?? [];
		const kept = runs.filter((e) => !lost.has(e.id));
		const hadLost =
			runs.some((e) => lost.has(e.id)) ||
			notAnsweredOk.some((n) => n.fields.orderId === inv.orderId);
		if (runs.some((e) => lost.has(e.id)) && kept.length === 0 && captures === 1) {
			// The lost execution had captured: its repeat found the invoice no longer held (Paid).
			answeredByState.push(inv.orderId);
		}
		if (runs.some((e) => lost.has(e.id)) && kept.some((e) => e.status === 'success')) {
			recoveredByRepeat.push(inv.orderId);
			// No surviving execution made the first capture (an `alreadyDone` item says captured too).
			const firstCapture = kept.some(
				(e) => e.capture?.captured === true && e.capture?.alreadyDone !== true,
			);
			if (captures === 1 && !firstCapture) capturedBeforeDying.push(inv.orderId);
		}
		if (hadLost && captures !== 1) {
			violations.lostNotRecovered.push(
				`${inv.orderId}: its execution was lost, captured ${captures} times`,
			);
		}
		let firstCaptures = 0;
		for (const e of kept) {
			if (e.status === 'success' && e.capture?.alreadyDone === true) alreadyDone++;
			else if (e.status === 'success' && e.capture?.captured === true) {
				capturing++;
				firstCaptures++;
			} else {
				if (/refused/i.test(e.error ?? '')) refused++;
				else otherErrors++;
				violations.repeatsNotAlreadyDone.push(
					`${inv.orderId}: execution ${e.id} ended ${e.status}${e.error ? `: ${e.error}` : ''}`,
				);
			}
		}
		if (firstCaptures > 1) {
			violations.repeatsNotAlreadyDone.push(
				`${inv.orderId}: ${firstCaptures} executions reported a first capture`,
			);
		}
	}
	for (const decoy of decoys) {
		const now = input.invoiceNow(decoy.invoiceId);
		if ((ledger.captures[decoy.invoiceId] ?? 0) !== 0 || now?.state !== 'Held') {
			violations.decoysTouched.push(
				`${decoy.orderId}: ${now?.state}, captured ${ledger.captures[decoy.invoiceId]}`,
			);
		}
	}
	if (stalledWithoutItem.length > notAnsweredOk.length) {
		violations.forgedStarted.push(
			`${stalledWithoutItem.length} stalled executions without an item, only ${notAnsweredOk.length} genuine notifications not answered OK`,
		);
	}
	for (const e of stray) {
		violations.forgedStarted.push(
			`execution ${e.id} (${e.status}) for ${JSON.stringify(e.trigger?.orderId)}`,
		);
	}
	for (const e of executions) {
		const amount = e.trigger?.amount;
		if (amount === '1.00') violations.forgedStarted.push(`execution ${e.id} ran a tampered amount`);
	}
	for (const s of sent) {
		if (s.kind === 'forged' && (s.status === null || s.status < 400 || s.status >= 500 || s.ok)) {
			violations.forgedNotRefused.push(
				`${s.forge} for ${s.orderId}: ${s.status} ${s.body.slice(0, 80)}`,
			);
		}
		if (['original', 'simultaneous', 'later'].includes(s.kind) && !s.ok) {
			violations.genuineNotAnsweredOk.push(
				`${s.kind} ${s.orderId} → ${s.target}: ${s.status} ${s.body.slice(0, 60)} after ${s.attempts} attempt(s)`,
			);
		}
	}

	const genuineSent = sent.filter((s) => s.kind !== 'forged');
	const genuinePosts = genuineSent.reduce((n, s) => n + s.attempts, 0);
	const genuineExecutions =
		[...byOrder.values()].reduce((n, runs) => n + runs.length, 0) + stalledWithoutItem.length;
	const downstreamRuns = executions.filter((e) => e.ranDownstream && !guarded.includes(e)).length;
	const finishedTimes = executions
		.filter((e) => !lost.has(e.id) && e.stoppedAt)
		.map((e) => time(e.stoppedAt));
	const lastFinished = finishedTimes.length ? Math.max(...finishedTimes) : NaN;
	// The queue drains from the last notification that could start an execution (forged ones and
	// paymentId-changed repeats are refused by the trigger).
	const lastSent = Math.max(
		...sent.filter((s) => !['forged', 'paymentIdChanged'].includes(s.kind)).map((s) => s.startedAt),
	);
	const captured = invoices.filter((inv) => (ledger.captures[inv.invoiceId] ?? 0) > 0).length;
	const firstAttempt = sent
		.filter((s) => s.kind === 'original' && s.ok && s.attempts === 1)
		.map((s) => s.endedAt - s.startedAt);

	/** @type {Record<string, number>} */
	const byStatus = {};
	for (const e of executions) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
	/** @type {Record<string, number>} */
	const split = {};
	for (const [log, { started }] of Object.entries(workers)) {
		split[log] = [...started].filter((id) => ids.has(id)).length;
	}
	/** @type {Record<string, number>} */
	const byKind = {};
	for (const s of sent) byKind[s.kind] = (byKind[s.kind] ?? 0) + 1;
	const repeats = repeatsByKind(sent, byOrder, lost);
	const later =
		repeats.laterFirstEnded.startedExecution + repeats.laterFirstRunning.startedExecution;
	const downstreamRepeats = {
		ran: repeats.simultaneous.startedExecution + later + repeats.paymentIdChanged.startedExecution,
		of:
			repeats.simultaneous.sent +
			repeats.laterFirstEnded.sent +
			repeats.laterFirstRunning.sent +
			repeats.paymentIdChanged.sent,
		simultaneous: repeats.simultaneous.startedExecution,
		later,
		laterAfterFirstEnded: repeats.laterFirstEnded.startedExecution,
		laterAfterFirstEndedSent: repeats.laterFirstEnded.sent,
	};

	return {
		violations,
		lost: [...lost],
		recoveredByRepeat,
		capturedBeforeDying,
		answeredByState,
		downstreamRepeats,
		figures: {
			downstreamRepeats,
			notificationsSent: {
				...byKind,
				sandboxRetries: sent.reduce((n, s) => n + s.attempts - 1, 0),
			},
			genuinePostsReceived: genuinePosts,
			executions: {
				total: executions.length,
				byStatus,
				lostWithKilledWorker: lost.size,
				lostThenRecoveredByRepeat: recoveredByRepeat.length,
				lostAfterCapturing: capturedBeforeDying.length,
				lostAfterCapturingThenStaleByState: answeredByState.length,
				lostBeforeStarting: lost.size - startedByKilled.length,
			},
			captures: {
				invoices: invoices.length,
				captured,
				ledgerTotal: invoices.reduce((n, inv) => n + (ledger.captures[inv.invoiceId] ?? 0), 0),
			},
			duplicates: {
				caughtByTrigger: genuinePosts - genuineExecutions,
				stoppedInExecutionByTrigger: guarded.length,
				executionsThatRanDownstream: downstreamRuns,
				byKind: repeats,
				caughtByCaptureAlreadyDone: alreadyDone,
				refusedByIntellectMoneyAsErrors: refused,
				otherErrors,
			},
			capturingExecutions: capturing,
			capturesPerSecond: Number((captured / ((lastFinished - input.startedAt) / 1000)).toFixed(2)),
			executionsPerSecond: Number(
				((executions.length - lost.size) / ((lastFinished - input.startedAt) / 1000)).toFixed(2),
			),
			sendingSeconds: Number(((lastSent - input.startedAt) / 1000).toFixed(1)),
			// 0: the queue was empty when the last notification came (it started nothing: a repeat dropped).
			drainSeconds: Number((Math.max(0, lastFinished - lastSent) / 1000).toFixed(1)),
			answerMs: { median: quantile(firstAttempt, 0.5), p90: quantile(firstAttempt, 0.9) },
			workers: split,
		},
	};
}

/**
 * @typedef {object} RepeatFigures
 * @property {number} sent
 * @property {number} startedExecution
 * @property {number} startedNothing  answered OK without an execution, or refused
 * @property {number} refused  of those, refused with a 4xx (Confirm Invoice ID: another invoice's number)
 */

/**
 * What became of each kind of repeat, from the executions of its order beyond the first that ran a
 * step after the trigger (an execution the trigger's guard stopped has no item, so no order) (load.mjs
 * gives an invoice at most one kind of repeat). A sandbox retry of the order's own delivery (its
 * first attempt not answered OK in time) can start one too: those are counted apart. Repeats sent
 * "later" are split by whether the first execution of their order had ended when they were sent.
 * @param {Sent[]} sent @param {Map<string, ExecutionRecord[]>} byOrder @param {Set<number>} lost
 */
function repeatsByKind(sent, byOrder, lost) {
	/** @returns {RepeatFigures} */
	const zero = () => ({ sent: 0, startedExecution: 0, startedNothing: 0, refused: 0 });
	/** @type {Record<'simultaneous' | 'laterFirstEnded' | 'laterFirstRunning' | 'paymentIdChanged', RepeatFigures>} */
	const kinds = {
		simultaneous: zero(),
		laterFirstEnded: zero(),
		laterFirstRunning: zero(),
		paymentIdChanged: zero(),
	};
	/** @type {Map<string, Sent[]>} */
	const sentByOrder = new Map();
	for (const s of sent) sentByOrder.set(s.orderId, [...(sentByOrder.get(s.orderId) ?? []), s]);
	let retries = 0;
	for (const [orderId, ofOrder] of sentByOrder) {
		const runs = (byOrder.get(orderId) ?? []).filter((e) => !lost.has(e.id));
		const extra = Math.max(0, runs.length - 1);
		const retried = ofOrder
			.filter((s) => s.kind === 'original' || s.kind === 'simultaneous')
			.reduce((n, s) => n + s.attempts - 1, 0);
		const byRetry = Math.min(extra, retried);
		retries += byRetry;
		const repeat = ofOrder.find((s) => REPEAT_KINDS.includes(s.kind));
		if (!repeat) continue;
		const firstEnded = time(runs[0]?.stoppedAt ?? null) < repeat.startedAt;
		const kind = /** @type {keyof typeof kinds} */ (
			repeat.kind !== 'later' ? repeat.kind : firstEnded ? 'laterFirstEnded' : 'laterFirstRunning'
		);
		const entry = kinds[kind];
		const started = extra - byRetry > 0;
		entry.sent++;
		if (started) entry.startedExecution++;
		else entry.startedNothing++;
		if (!started && repeat.status !== null && repeat.status >= 400 && repeat.status < 500) {
			entry.refused++;
		}
	}
	return { ...kinds, retriesThatStartedAnExecution: retries };
}

/** @type {ReadonlyArray<Sent['kind']>} */
const REPEAT_KINDS = ['simultaneous', 'later', 'paymentIdChanged'];
