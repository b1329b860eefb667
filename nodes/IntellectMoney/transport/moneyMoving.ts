/**
 * Sends a request that moves money (capture, release/refund, execute payout), or creates something
 * that could be paid twice (an invoice), so that it is never carried out twice, whatever happens to
 * the answer.
 *
 * IntellectMoney publishes no idempotency key and no code for "already done" (reference §7 Q6), so the
 * only source of truth is its own state: after a lost answer, and after a refusal, the node reads the
 * state before it reports or repeats anything. A repeat is sent only when the state proves the first
 * request was not carried out (or it never left), at most MAX_ATTEMPTS times with backoff.
 */
import { NodeApiError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';

import type { ImEnvelope, ImResultBase } from '../interfaces';
import { asTransportFailure, backoffMs, isRefusal, MAX_ATTEMPTS, throwIfRefused } from './index';
import type { IntellectMoneyEndpoint } from './signature';

/**
 * What IntellectMoney's state says about the request: already carried out (with the output item built
 * from that state), provably not carried out, or unknown (it cannot be read).
 */
export type MoneyState = { done: IDataObject } | 'notDone' | 'unknown';

export interface MoneyMovingRequest<TResult extends ImResultBase> {
	endpoint: IntellectMoneyEndpoint;
	/** The body as sent, for the hints of a refusal (secret fields are masked there). */
	body(): Record<string, string>;
	/** Sends the request once. */
	send(): Promise<ImEnvelope<TResult>>;
	/** Reads IntellectMoney's state of the target; must not throw for "cannot tell" (say `unknown`). */
	readState(): Promise<MoneyState>;
	/** Appended to a lost-answer error when the state is unknown: what the operator should check. */
	unknownStateAdvice: string;
	/** Appended to a refusal when the state is unknown (it may be the refusal of a repeat). */
	refusalNote?: string | ((envelope: ImEnvelope<TResult>) => string);
	/**
	 * First look at a refusal: `resend` when it is safe to send again at once (a renewed user token),
	 * `report` to report it without a state read, `reconcile` (default) to read the state first.
	 */
	onRefusal?(envelope: ImEnvelope<TResult>): Promise<'resend' | 'reconcile' | 'report'>;
}

export type MoneyMovingOutcome<TResult extends ImResultBase> =
	| { envelope: ImEnvelope<TResult>; done?: undefined }
	| { done: IDataObject; envelope?: undefined };

export async function sendMoneyMovingRequest<TResult extends ImResultBase>(
	node: IExecuteFunctions,
	itemIndex: number,
	request: MoneyMovingRequest<TResult>,
): Promise<MoneyMovingOutcome<TResult>> {
	for (let attempt = 1; ; attempt++) {
		let envelope: ImEnvelope<TResult>;
		try {
			envelope = await request.send();
		} catch (error) {
			const failure = asTransportFailure(error);
			if (!failure) throw new NodeApiError(node.getNode(), error as JsonObject);
			if (failure.mayHaveApplied) {
				// The answer was lost: ask IntellectMoney whether the money moved before anything else.
				const state = await request.readState();
				if (typeof state === 'object') return state;
				if (state === 'unknown') {
					failure.error.description = `${failure.error.description} ${request.unknownStateAdvice}`;
					throw failure.error;
				}
			}
			// Not carried out (proven by the state, or never sent): repeating it cannot move money twice.
			if (!failure.retryable || attempt >= MAX_ATTEMPTS) throw failure.error;
			await sleep(backoffMs(attempt, failure));
			continue;
		}

		let note = '';
		if (isRefusal(envelope)) {
			const next = (await request.onRefusal?.(envelope)) ?? 'reconcile';
			if (next === 'resend') continue;
			if (next === 'reconcile') {
				// IntellectMoney publishes no code for "already done": its state says it.
				const state = await request.readState();
				if (typeof state === 'object') return state;
				// OperationState 2 = the request itself could not be processed, not a repeat's refusal.
				if (state === 'unknown' && envelope.OperationState?.Code !== 2) {
					const { refusalNote } = request;
					note = typeof refusalNote === 'function' ? refusalNote(envelope) : (refusalNote ?? '');
				}
			}
		}
		throwIfRefused.call(node, envelope, request.endpoint, itemIndex, request.body(), note);
		return { envelope };
	}
}
