/**
 * The thin driver of the at-most-once protocol (protocol.ts): performs the steps `decide` returns
 * (send, read the state, renew the user token, wait) and records what it saw. It decides nothing and
 * words nothing: the operation turns the result into its output or its error (its resource's
 * messages.ts).
 */
import type { ImEnvelope, ImResultBase } from '../../../shared/api';
import { clock } from '../../../shared/clock';
import { asTransportFailure } from '../../../shared/transport/answer';
import type { TransportFailure } from '../../../shared/transport/answer';
import { isRefusal, refusedParameter } from '../../../shared/transport/refusal';
import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';

import type { WrongEndpoint } from '../../../shared/inferences/endpointLooksWrong';
import { ItemError } from '../errors';
import { recallAttempt, settleAttempt, StoreUnavailable } from './memory';
import type { AttemptTarget } from './memory';
import { decide } from './protocol';
import type { Observation, Outcome, Policy } from './protocol';

/** What a read of IntellectMoney's state says about the request. Never thrown: say `unknown`. */
export interface StateReading<TState> {
	verdict: 'done' | 'pending' | 'unknown';
	state?: TState;
	/** What the node saw, for error descriptions (never a secret). */
	why?: string;
	/** True when `why` is IntellectMoney's own answer (a state, or "not listed"), not a failed read. */
	answered?: boolean;
	/** The read's endpoint itself looks wrong on the live API (shared/inferences): which inference, what was seen. */
	wrongEndpoint?: { inference: string; seen: WrongEndpoint };
}

export interface AtMostOnceRequest<TResult extends ImResultBase, TState> {
	policy: Policy;
	/** Sends the request once. */
	send(): Promise<ImEnvelope<TResult>>;
	/** Reads IntellectMoney's state of the target (with `policy.canRead`). */
	readState?(): Promise<StateReading<TState>>;
	/** Renews a refused user token (with `policy.renewsToken`): true when a new one was issued. */
	renewToken?(): Promise<boolean>;
	/** The target, for the memory of earlier attempts (memory.ts). */
	attempt: AttemptTarget & {
		context: IExecuteFunctions;
		/** Record it in n8n's store across executions (no published rule refuses a repeat). */
		acrossRuns: boolean;
		/** The operator's explicit option: send even if an earlier execution may have sent it. */
		ignoreEarlierRuns: boolean;
	};
}

/** A failure that may have been carried out: a transport failure, or an answer without `Result.State`. */
export type LostAnswer = { failure: TransportFailure } | { withoutState: ImEnvelope };

export type AtMostOnceResult<TResult extends ImResultBase, TState> =
	| { outcome: 'sent'; envelope: ImEnvelope<TResult> }
	/** `earlier`: this execution's earlier attempt's answer, when that attempt was answered. */
	| { outcome: 'alreadyDone'; state?: TState; earlier?: ImEnvelope<TResult> }
	| { outcome: 'refused'; envelope: ImEnvelope<TResult>; reading?: StateReading<TState> }
	| { outcome: 'lost'; lost: LostAnswer; reading?: StateReading<TState> }
	| { outcome: 'unreadableFirst'; reading: StateReading<TState> }
	| { outcome: 'notSent'; failure: TransportFailure }
	| { outcome: 'earlierRun'; reading?: StateReading<TState> };

/** Whether the outcome leaves the target as it was (nothing of this request was carried out). */
export function leftUntouched(outcome: Outcome): boolean {
	return (
		outcome === 'refused' ||
		outcome === 'unreadableFirst' ||
		outcome === 'notSent' ||
		outcome === 'earlierRun'
	);
}

export async function sendAtMostOnce<TResult extends ImResultBase, TState>(
	request: AtMostOnceRequest<TResult, TState>,
): Promise<AtMostOnceResult<TResult, TState>> {
	const { context, acrossRuns, ignoreEarlierRuns } = request.attempt;
	const recalled = await recallAttempt(context, request.attempt, { acrossRuns, ignoreEarlierRuns });
	if (recalled instanceof StoreUnavailable) {
		throw new ItemError(
			`Nothing was sent: ${recalled.message}`,
			'The node records a payment request in n8n before sending it, so that a re-run never sends it ' +
				'twice. Check that n8n can write to its database, then run it again.',
			'notSent',
		);
	}
	const history: Observation[] = [];
	let envelope: ImEnvelope<TResult> | undefined;
	let lost: LostAnswer | undefined = recalled.lost;
	let notSent: TransportFailure | undefined;
	let reading: StateReading<TState> | undefined;

	for (;;) {
		const next = decide(request.policy, recalled.memory, history);
		if (next.step === 'stop') {
			const result = resultOf(next.outcome, { envelope, lost, notSent, reading });
			if (result.outcome === 'alreadyDone' && recalled.envelope !== undefined) {
				result.earlier = recalled.envelope as ImEnvelope<TResult>;
			}
			await settleAttempt(context, request.attempt, recalled, result);
			return result;
		}
		if (next.step !== 'renewToken' && next.afterMs > 0) await clock.wait(next.afterMs);
		if (next.step === 'read') {
			reading = request.readState
				? await request.readState()
				: { verdict: 'unknown', why: 'the state cannot be read' };
			history.push({ kind: 'read', verdict: reading.verdict });
		} else if (next.step === 'renewToken') {
			history.push({ kind: 'renewed', ok: (await request.renewToken?.()) === true });
		} else {
			reading = undefined;
			history.push(await observeSend(request, (seen) => ({ envelope, lost, notSent } = seen)));
		}
	}
}

type Seen<TResult extends ImResultBase> = {
	envelope?: ImEnvelope<TResult>;
	lost?: LostAnswer;
	notSent?: TransportFailure;
};

async function observeSend<TResult extends ImResultBase, TState>(
	request: AtMostOnceRequest<TResult, TState>,
	record: (seen: Seen<TResult>) => void,
): Promise<Observation> {
	let answer: ImEnvelope<TResult>;
	try {
		answer = await request.send();
	} catch (error) {
		const failure = asTransportFailure(error);
		// Anything but the transport's own verdict is no proof that it never left.
		if (failure === undefined)
			throw new NodeApiError(request.attempt.context.getNode(), error as JsonObject);
		const neverLeft = !failure.mayHaveApplied && failure.error.httpCode !== '429';
		record(neverLeft ? { notSent: failure } : { lost: { failure } });
		return {
			kind: 'failed',
			neverLeft,
			retryable: failure.retryable,
			retryAfterMs: failure.retryAfterMs,
		};
	}
	if (isRefusal(answer)) {
		record({ envelope: answer });
		const tokenRefused = refusedParameter(answer)?.toLowerCase() === 'usertoken';
		return { kind: 'refused', tokenRefused };
	}
	if (!hasResultState(answer)) {
		// "Success" without a result: IntellectMoney's envelope always carries Result.State for a
		// processed request (docs/intellectmoney-api.md §4), so this answer proves nothing.
		record({ lost: { withoutState: answer } });
		return { kind: 'failed', neverLeft: false, retryable: false, retryAfterMs: 0 };
	}
	record({ envelope: answer });
	return { kind: 'answered' };
}

/** A processed answer's `Result.State.Code`, or OperationState 1 (queued: the result comes later). */
function hasResultState(envelope: ImEnvelope): boolean {
	if (envelope.OperationState?.Code === 1) return true;
	const state = envelope.Result?.State as { Code?: unknown } | undefined | null;
	return typeof state === 'object' && state !== null && typeof state.Code === 'number';
}

function resultOf<TResult extends ImResultBase, TState>(
	outcome: Outcome,
	seen: Seen<TResult> & { reading?: StateReading<TState> },
): AtMostOnceResult<TResult, TState> {
	const { envelope, lost, notSent, reading } = seen;
	switch (outcome) {
		case 'sent':
			return { outcome, envelope: envelope as ImEnvelope<TResult> };
		case 'alreadyDone':
			return { outcome, state: reading?.state };
		case 'refused':
			return { outcome, envelope: envelope as ImEnvelope<TResult>, reading };
		case 'lost':
			return { outcome, lost: lost as LostAnswer, reading };
		case 'unreadableFirst':
			return { outcome, reading: reading as StateReading<TState> };
		case 'notSent':
			return { outcome, failure: notSent as TransportFailure };
		case 'earlierRun':
			return { outcome, reading };
	}
}
