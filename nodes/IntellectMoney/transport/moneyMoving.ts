/**
 * Sends a request that moves money (capture, release/refund, execute payout), or creates something
 * that could be paid twice (an invoice), so that it is never carried out twice, whatever happens to
 * the answer, and whatever the server does with a repeat.
 *
 * IntellectMoney publishes no idempotency key and no code for "already done", so the node relies on
 * its own evidence only. A request is sent again only on proof that the first was not carried out:
 * - it never left, or IntellectMoney answered HTTP 429 (shared/transport/answer.ts classifies every answer);
 * - IntellectMoney's own refusal envelope, when it is about the user token (renewed once);
 * - after a lost answer, two state reads a little apart that both show the target still pending.
 * Any other lost answer, and any state read that is refused, empty or unreadable, is "may have been
 * carried out": the request is reported with what to check, never sent again.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { ImEnvelope, ImResultBase } from '../../../shared/api';
import { clock } from '../../../shared/clock';
import type { IntellectMoneyEndpoint } from '../../../shared/signature';
import { asTransportFailure } from '../../../shared/transport/answer';
import type { TransportFailure } from '../../../shared/transport/answer';
import { isRefusal, refusalError } from '../../../shared/transport/refusal';
import { backoffMs, MAX_ATTEMPTS } from '../../../shared/transport/retry';

/**
 * What a read of IntellectMoney's state says about the request: carried out, positively still
 * pending, or unknown (refused, not listed, unreadable, or a state that is neither). `state` is what
 * was read, when something was; `why` says what the node saw, for error descriptions.
 */
export interface StateReading<TState> {
	verdict: 'done' | 'pending' | 'unknown';
	state?: TState;
	why?: string;
	/** True when `why` is IntellectMoney's own answer (a state, or "not listed"), not a failed read. */
	answered?: boolean;
}

/** Waits before the first and the second state read after a lost answer (the request may still be in processing). */
export const FIRST_READ_DELAY_MS = 2000;
export const SECOND_READ_DELAY_MS = 3000;

export interface MoneyMovingRequest<TResult extends ImResultBase, TState> {
	endpoint: IntellectMoneyEndpoint;
	/** The body as sent, for the hints of a refusal (secret fields are masked there). */
	body(): Record<string, string>;
	/** Sends the request once. */
	send(): Promise<ImEnvelope<TResult>>;
	/**
	 * Reads IntellectMoney's state of the target; never throws (say `unknown`). Absent when the state
	 * cannot be read at all for this item (an invoice named by Order ID, a credential without Login).
	 */
	readState?(): Promise<StateReading<TState>>;
	/**
	 * Read the state before the first send, so that a re-run of the workflow or n8n's Retry On Fail
	 * never sends again what an earlier run carried out (where IntellectMoney publishes no rule that
	 * refuses a repeat): done → alreadyDone, unknown → refused, nothing sent.
	 */
	readFirst?: boolean;
	/**
	 * Whether a pending state proves, after a lost answer, that the request was not carried out.
	 * False where the effect may show late (a refund of a paid invoice still reads Paid).
	 */
	pendingProvesNotDone?(state: TState | undefined): boolean;
	/** Appended to a lost-answer error when the state does not prove anything: what to check. */
	unknownStateAdvice: string;
	/** What the readFirst refusal says (the target's state could not be read before sending). */
	unreadableBeforeSending?: string;
	/** Appended to a refusal: what it may mean, given the state read after it (undefined = not readable). */
	refusalNote?(envelope: ImEnvelope<TResult>, reading: StateReading<TState> | undefined): string;
	/** A refusal's title from that state read ("Invoice not found"), when it shows more than the request. */
	refusalTitle?(
		envelope: ImEnvelope<TResult>,
		reading: StateReading<TState> | undefined,
	): string | undefined;
	/**
	 * First look at a refusal: `resend` when it is safe to send again at once (a renewed user token),
	 * `report` to report it without a state read, `reconcile` (default) to read the state first.
	 */
	onRefusal?(envelope: ImEnvelope<TResult>): Promise<'resend' | 'reconcile' | 'report'>;
}

/** IntellectMoney's answer, or the state that proved the request had already been carried out. */
export type MoneyMovingOutcome<TResult extends ImResultBase, TState> =
	| { envelope: ImEnvelope<TResult>; alreadyDone?: undefined }
	| { alreadyDone: TState | undefined; envelope?: undefined };

export async function sendMoneyMovingRequest<TResult extends ImResultBase, TState>(
	node: INode,
	request: MoneyMovingRequest<TResult, TState>,
): Promise<MoneyMovingOutcome<TResult, TState>> {
	if (request.readFirst && request.readState) {
		const reading = await request.readState();
		if (reading.verdict === 'done') return { alreadyDone: reading.state };
		if (reading.verdict === 'unknown') throw unreadableBeforeSending(node, request, reading);
	}
	for (let attempt = 1; ; attempt++) {
		let envelope: ImEnvelope<TResult>;
		try {
			envelope = await request.send();
		} catch (error) {
			const failure = asTransportFailure(error);
			if (!failure) throw new NodeApiError(node, error as JsonObject);
			if (failure.mayHaveApplied) {
				const settled = await reconcileLostAnswer(request, failure);
				if (settled !== 'resend') return settled;
			} else if (!failure.retryable) {
				throw failure.error;
			}
			// Proven not carried out: it never left, HTTP 429, or two reads showed it still pending.
			if (attempt >= MAX_ATTEMPTS) throw failure.error;
			await clock.wait(backoffMs(attempt, failure));
			continue;
		}

		let note = '';
		let evidence: string | undefined;
		if (isRefusal(envelope)) {
			const next = (await request.onRefusal?.(envelope)) ?? 'reconcile';
			if (next === 'resend' && attempt < MAX_ATTEMPTS) continue;
			if (next === 'reconcile') {
				// IntellectMoney publishes no code for "already done": its state says it.
				const reading = await request.readState?.();
				if (reading?.verdict === 'done') return { alreadyDone: reading.state };
				note = request.refusalNote?.(envelope, reading) ?? '';
				evidence = request.refusalTitle?.(envelope, reading);
			}
		}
		if (isRefusal(envelope))
			throw refusalError(node, envelope, request.endpoint, request.body(), note, evidence);
		return { envelope };
	}
}

/**
 * After an answer that may have been carried out: done → alreadyDone; two pending reads a little
 * apart → `resend`; anything else → the failure, with what the operator should check.
 */
async function reconcileLostAnswer<TResult extends ImResultBase, TState>(
	request: MoneyMovingRequest<TResult, TState>,
	failure: TransportFailure,
): Promise<MoneyMovingOutcome<TResult, TState> | 'resend'> {
	const fail = (reading?: StateReading<TState>): never => {
		const seen = reading?.why ? ` The node read the state: ${reading.why}.` : '';
		failure.error.description = `${failure.error.description ?? ''}${seen} ${request.unknownStateAdvice}`;
		throw failure.error;
	};
	if (!request.readState) return fail();
	for (const delayMs of [FIRST_READ_DELAY_MS, SECOND_READ_DELAY_MS]) {
		await clock.wait(delayMs);
		const reading = await request.readState();
		if (reading.verdict === 'done') return { alreadyDone: reading.state };
		if (reading.verdict === 'unknown') return fail(reading);
		if (request.pendingProvesNotDone && !request.pendingProvesNotDone(reading.state)) {
			const why = `${reading.why ?? 'it still looks pending'}, and this change may show only later, so that proves nothing`;
			return fail({ ...reading, why });
		}
	}
	return 'resend';
}

function unreadableBeforeSending<TResult extends ImResultBase, TState>(
	node: INode,
	request: MoneyMovingRequest<TResult, TState>,
	reading: StateReading<TState>,
): NodeApiError {
	const what =
		request.unreadableBeforeSending ?? 'Nothing was sent: the state could not be read first';
	const message = reading.why ? `${what} (${reading.why})` : what;
	return new NodeApiError(node, { message } as JsonObject, {
		message,
		description: `Nothing was sent. The node reads the state before sending this request, so that a re-run never sends again what an earlier run carried out. ${request.unknownStateAdvice}`,
	});
}
