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
/** n8n keeps the newest 10,000 records of the node; older ones are dropped first. */
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: 10_000 };

type Remembered = { fate: 'sent'; envelope?: ImEnvelope } | { fate: 'lost'; lost: LostAnswer };

/** This process's attempts, newest last; bounded (a Map keeps insertion order). */
const thisProcess = new Map<string, Remembered>();
const THIS_PROCESS_LIMIT = 10_000;

/** Record writes of one execution, one at a time (n8n's store loses one of two concurrent writes). */
const storeQueues = new WeakMap<IExecuteFunctions, Promise<unknown>>();

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
	const seenBefore = await inStoreQueue(context, async () => await recordInStore(context, attempt));
	if (seenBefore instanceof StoreUnavailable) return seenBefore;
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
	if (recalled.recorded && leftUntouched(result.outcome)) {
		// Proof that nothing of this request was carried out: a later run may send it.
		await inStoreQueue(context, async () => await removeFromStore(context, attempt));
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
	attempt: AttemptTarget,
): Promise<boolean | StoreUnavailable> {
	const key = storeKey(attempt);
	for (let tries = 1; ; tries++) {
		try {
			const answer = await context.helpers.checkProcessedAndRecord(
				[key],
				STORE_SCOPE,
				STORE_OPTIONS,
			);
			return answer.processed.includes(key);
		} catch (error) {
			// The first record of a node races another process's first record (a unique-key conflict):
			// the row exists now, so once more reads it.
			if (tries >= 2) return storeUnavailable(error);
		}
	}
}

async function removeFromStore(context: IExecuteFunctions, attempt: AttemptTarget): Promise<void> {
	try {
		await context.helpers.removeProcessed([storeKey(attempt)], STORE_SCOPE, STORE_OPTIONS);
	} catch {
		// The record stays: a later run reads the state first or asks the operator; never unsafe.
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
