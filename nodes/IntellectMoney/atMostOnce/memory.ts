/**
 * What earlier attempts did to a target, for the protocol (protocol.ts `Memory`):
 * - within one execution, in process memory: n8n's Retry On Fail runs the node again in the same
 *   process with the same execution id (in queue mode too: one worker runs the whole execution), and a
 *   later item's failure discards earlier items' output, so the earlier attempt's fate is kept here;
 * - across executions (an operator's re-run, another process), in n8n's own deduplication store (the
 *   `processed_data` table Remove Duplicates uses, shared by every process): a write-ahead record is made
 *   before the request is sent and removed only on proof that it left the target untouched. A record
 *   that is still there tells a later execution that an earlier one may have sent it.
 * n8n's store reads and then writes one row per node without a lock, so two executions recording at the
 *   same instant may both see none (docs/reliability.md); records of one execution are made one at a time.
 */
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import type { ImEnvelope, ImResultBase } from '../../../shared/api';
import type { Memory } from './protocol';
import type { AtMostOnceResult, LostAnswer } from './send';
import { leftUntouched } from './send';

/** One target of one operation, e.g. `refund`, `450000:invoice:3000000001`. */
export interface AttemptTarget {
	operation: string;
	target: string;
}

/** Scope `node`: the records never mix with a Remove Duplicates node of the same workflow. */
const STORE_SCOPE = 'node';
/** n8n keeps the newest 50,000 records of the node (older ones are dropped first): a big batch's own fit. */
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: 50_000 };

type Remembered = { fate: 'sent'; envelope?: ImEnvelope } | { fate: 'lost'; lost: LostAnswer };

/** This process's attempts, newest last; bounded (a Map keeps insertion order). */
const thisProcess = new Map<string, Remembered>();
const THIS_PROCESS_LIMIT = 10_000;

/** Record writes of one execution, one at a time (n8n's store loses one of two concurrent writes). */
const storeQueues = new WeakMap<IExecuteFunctions, Promise<unknown>>();

/**
 * One node run's records, made in one write before any item is sent (recordAttempts): each target's
 * "seen before", or the store's failure. n8n rewrites the node's whole row on every call, so a call
 * per item would cost a batch of N items N rewrites of up to 50,000 entries.
 */
const recordedBatches = new WeakMap<IExecuteFunctions, Map<string, boolean> | StoreUnavailable>();
/** Records proven untouched, removed in one write when the node run ends (flushAttempts). */
const pendingRemovals = new WeakMap<IExecuteFunctions, Map<string, boolean>>();
/** Other names of targets this node run moved (an invoice by its Order ID), recorded at the end. */
const pendingAliases = new WeakMap<IExecuteFunctions, string[]>();
/** The batch's records whose item started (recallAttempt); the others were never sent. */
const startedKeys = new WeakMap<IExecuteFunctions, Set<string>>();

export interface Recalled {
	memory: Memory;
	/** The earlier attempt's lost answer (memory `thisExecutionLost`). */
	lost?: LostAnswer;
	/** The earlier attempt's answer (memory `thisExecutionSent`), when it had one. */
	envelope?: ImEnvelope;
	/** Whether this attempt made the cross-execution record (to remove it on proof of untouched). */
	recorded: boolean;
}

function processKey(context: IExecuteFunctions, attempt: AttemptTarget): string {
	return `${context.getExecutionId()}|${context.getNode().id}|${attempt.operation}|${attempt.target}`;
}

function storeKey(attempt: AttemptTarget): string {
	return `${attempt.operation}|${attempt.target}`;
}

/**
 * What earlier attempts did. With `acrossRuns`, also records this attempt in n8n's store (the record is
 * made before anything is sent); `ignoreEarlierRuns` is the operator's explicit "send anyway".
 */
export async function recallAttempt(
	context: IExecuteFunctions,
	attempt: AttemptTarget,
	across: { acrossRuns: boolean; ignoreEarlierRuns: boolean },
): Promise<Recalled | StoreUnavailable> {
	const earlier = thisProcess.get(processKey(context, attempt));
	if (earlier?.fate === 'sent') {
		return { memory: 'thisExecutionSent', envelope: earlier.envelope, recorded: false };
	}
	if (earlier?.fate === 'lost')
		return { memory: 'thisExecutionLost', lost: earlier.lost, recorded: false };
	if (!across.acrossRuns) return { memory: 'none', recorded: false };
	const batch = recordedBatches.get(context);
	const batched = batch instanceof Map ? batch.get(storeKey(attempt)) : undefined;
	if (batch instanceof StoreUnavailable) return batch;
	startedKeys.get(context)?.add(storeKey(attempt));
	const seenBefore =
		batched ??
		(await inStoreQueue(context, async () => await recordInStore(context, [storeKey(attempt)])));
	if (seenBefore instanceof StoreUnavailable) return seenBefore;
	// Recorded once: a second item of the batch for the same target relies on this process's memory.
	if (batch instanceof Map) batch.set(storeKey(attempt), true);
	return {
		memory: seenBefore && !across.ignoreEarlierRuns ? 'earlierRun' : 'none',
		recorded: !seenBefore,
	};
}

/** Keeps what this attempt did, for the next attempt of this execution and for later executions. */
export async function settleAttempt<TResult extends ImResultBase, TState>(
	context: IExecuteFunctions,
	attempt: AttemptTarget,
	recalled: Recalled,
	result: AtMostOnceResult<TResult, TState>,
): Promise<void> {
	if (result.outcome === 'sent')
		remember(context, attempt, { fate: 'sent', envelope: result.envelope });
	else if (result.outcome === 'alreadyDone') {
		remember(context, attempt, { fate: 'sent', envelope: result.earlier ?? recalled.envelope });
	} else if (result.outcome === 'lost')
		remember(context, attempt, { fate: 'lost', lost: result.lost });
	const key = storeKey(attempt);
	const untouched = leftUntouched(result.outcome);
	const batch = pendingRemovals.get(context);
	if (batch) {
		// Removed at the end only if every item of the batch for this target left it untouched.
		if (recalled.recorded || batch.has(key)) batch.set(key, (batch.get(key) ?? true) && untouched);
		// A later item for this target may send it: it holds the record now.
		if (untouched && recalled.recorded)
			(recordedBatches.get(context) as Map<string, boolean>)?.set(key, false);
		else if (!untouched) batch.set(key, false);
	} else if (recalled.recorded && untouched) {
		// Proof that nothing of this request was carried out: a later run may send it.
		await inStoreQueue(context, async () => await removeFromStore(context, [key]));
	}
}

/**
 * Remembers a target this attempt moved under its other names too (an invoice named by Order ID is
 * also invoice N: a later run naming it either way finds the record).
 */
export async function rememberAliases(
	context: IExecuteFunctions,
	aliases: AttemptTarget[],
): Promise<void> {
	for (const alias of aliases) remember(context, alias, { fate: 'sent' });
	const keys = aliases.map(storeKey);
	const pending = pendingAliases.get(context);
	if (pending) pending.push(...keys);
	else if (keys.length > 0)
		await inStoreQueue(context, async () => await recordKeys(context, keys));
}

/**
 * Records, in one write, every target the node run is about to send that this execution has not sent
 * before; the items' recallAttempt then reads the answer. Removals wait for flushAttempts.
 */
export async function recordAttempts(
	context: IExecuteFunctions,
	attempts: AttemptTarget[],
): Promise<void> {
	pendingRemovals.set(context, new Map());
	pendingAliases.set(context, []);
	startedKeys.set(context, new Set());
	const keys = [
		...new Set(
			attempts.filter((attempt) => !thisProcess.has(processKey(context, attempt))).map(storeKey),
		),
	];
	if (keys.length === 0) return;
	const seen = await inStoreQueue(context, async () => await recordKeys(context, keys));
	recordedBatches.set(context, seen);
}

/** Removes, in one write, the records of this node run's requests proven untouched. */
export async function flushAttempts(context: IExecuteFunctions): Promise<void> {
	const fates = pendingRemovals.get(context) ?? new Map<string, boolean>();
	const removals = [...fates].filter(([, untouched]) => untouched).map(([key]) => key);
	const batch = recordedBatches.get(context);
	const started = startedKeys.get(context) ?? new Set<string>();
	// Recorded for an item that never started (the batch stopped first): nothing was sent for it.
	if (batch instanceof Map) {
		for (const [key, seenBefore] of batch) {
			if (!seenBefore && !started.has(key) && !fates.has(key)) removals.push(key);
		}
	}
	const aliases = pendingAliases.get(context) ?? [];
	pendingRemovals.delete(context);
	pendingAliases.delete(context);
	recordedBatches.delete(context);
	startedKeys.delete(context);
	if (aliases.length > 0)
		await inStoreQueue(context, async () => await recordKeys(context, aliases));
	if (removals.length > 0) {
		await inStoreQueue(context, async () => await removeFromStore(context, removals));
	}
}

function remember(
	context: IExecuteFunctions,
	attempt: AttemptTarget,
	remembered: Remembered,
): void {
	const key = processKey(context, attempt);
	thisProcess.delete(key);
	thisProcess.set(key, remembered);
	if (thisProcess.size > THIS_PROCESS_LIMIT) {
		const oldest = thisProcess.keys().next().value;
		if (oldest !== undefined) thisProcess.delete(oldest);
	}
}

/** True when the store already held the record (an earlier execution may have sent it). */
async function recordInStore(
	context: IExecuteFunctions,
	keys: string[],
): Promise<boolean | StoreUnavailable> {
	const seen = await recordKeys(context, keys);
	return seen instanceof StoreUnavailable ? seen : seen.get(keys[0]) === true;
}

/** Each key's "the store held it already", for keys recorded in one write. */
async function recordKeys(
	context: IExecuteFunctions,
	keys: string[],
): Promise<Map<string, boolean> | StoreUnavailable> {
	for (let tries = 1; ; tries++) {
		try {
			const answer = await context.helpers.checkProcessedAndRecord(
				keys,
				STORE_SCOPE,
				STORE_OPTIONS,
			);
			const processed = new Set(answer.processed.map(String));
			return new Map(keys.map((key) => [key, processed.has(key)]));
		} catch (error) {
			// The first record of a node races another process's first record (a unique-key conflict):
			// the row exists now, so once more reads it.
			if (tries >= 2) return storeUnavailable(error);
		}
	}
}

async function removeFromStore(context: IExecuteFunctions, keys: string[]): Promise<void> {
	try {
		await context.helpers.removeProcessed(keys, STORE_SCOPE, STORE_OPTIONS);
	} catch {
		// The records stay: a later run reads the state first or asks the operator; never unsafe.
	}
}

async function inStoreQueue<T>(context: IExecuteFunctions, task: () => Promise<T>): Promise<T> {
	const previous = storeQueues.get(context) ?? Promise.resolve();
	const next = previous.then(task, task);
	storeQueues.set(
		context,
		next.catch(() => undefined),
	);
	return await next;
}

/** The store could not record the request: nothing is sent (the record is what makes a re-run safe). */
export class StoreUnavailable extends Error {}

function storeUnavailable(error: unknown): StoreUnavailable {
	const reason = error instanceof Error && error.name ? ` (${error.name})` : '';
	return new StoreUnavailable(`n8n's deduplication store did not record the request${reason}`);
}
