/**
 * The at-most-once protocol of a request that moves money (capture, release/refund, execute payout) or
 * creates something that could be paid twice (an invoice), as one pure function: from what has been
 * observed so far it returns the next step. No I/O, no clock: send.ts performs the steps.
 *
 * IntellectMoney publishes no idempotency key and no code for "already done" (docs/intellectmoney-api.md
 * §4), and nothing about how soon a state shows a change, so the node relies on its own evidence only:
 * - a request is sent again only when it never left (no connection; the credential refused to sign it),
 *   or IntellectMoney refused the user token (renewed once: a refused token executed nothing);
 * - every other failure (a lost, cut or foreign answer, a timeout, any HTTP status, 429 included, an
 *   answer without `Result.State`) may have been carried out. Where the state can be read, it is read
 *   (after 2 s, then 3 s): shown done → `alreadyDone`; anything else → `lost`. A pending state is no proof:
 *   the effect may show late or never within the reads, so a lost answer is never followed by a resend;
 * - what an earlier attempt did counts as observed (memory.ts): within one execution (n8n's Retry On Fail)
 *   a request that was answered or may have been carried out is never sent again; across executions (an
 *   operator's re-run) a request an earlier run may have sent is sent only when the state shows it done
 *   (then `alreadyDone`) or the operator said so in the node's options.
 */

/** How an operation's request is protected: data, no callbacks. */
export interface Policy {
	/** Whether IntellectMoney's state of this target can be read (an invoice by Invoice ID with Login, a payout). */
	canRead: boolean;
	/** Read the state before the first send (no published rule refuses a repeat): done → alreadyDone. */
	readFirst: boolean;
	/** Whether a refused user token is renewed once and the request sent again (Personal API requests). */
	renewsToken: boolean;
}

/** Sends of one request at most, the first included (only a request that never left is sent again). */
export const MAX_SENDS = 3;
/** Waits before the first and the second state read after an answer that may have been carried out. */
export const READ_DELAYS_MS = [2000, 3000] as const;

/** What a state read says: carried out, pending, or unknown (refused, not listed or listed twice, unreadable). */
export type Verdict = 'done' | 'pending' | 'unknown';

/** What the driver saw, in order. */
export type Observation =
	| { kind: 'answered' }
	| { kind: 'refused'; tokenRefused: boolean }
	| { kind: 'failed'; neverLeft: boolean; retryable: boolean; retryAfterMs: number }
	| { kind: 'read'; verdict: Verdict }
	| { kind: 'renewed'; ok: boolean };

/**
 * How a request ended:
 * - `sent`: IntellectMoney answered it (success, queued or with warnings);
 * - `alreadyDone`: the state shows it carried out (an earlier attempt or this one's lost answer);
 * - `refused`: IntellectMoney refused it; nothing was carried out by this request;
 * - `lost`: it may have been carried out (no usable answer, and the state does not show it done);
 * - `unreadableFirst`: the state could not be read before the first send; nothing was sent;
 * - `notSent`: it never left (every attempt failed before it was written);
 * - `earlierRun`: an earlier execution may have sent it and the state does not show it done; not sent.
 */
export type Outcome =
	| 'sent'
	| 'alreadyDone'
	| 'refused'
	| 'lost'
	| 'unreadableFirst'
	| 'notSent'
	| 'earlierRun';

/**
 * What earlier attempts left for this target: nothing; this execution's earlier attempt was answered
 * (or found it done) or may have been carried out; an earlier execution recorded it and never proved
 * it untouched (`earlierRun`: it may have been sent).
 */
export type Memory = 'none' | 'thisExecutionSent' | 'thisExecutionLost' | 'earlierRun';

export type Step =
	| { step: 'send'; afterMs: number }
	| { step: 'read'; afterMs: number }
	| { step: 'renewToken' }
	| { step: 'stop'; outcome: Outcome };

const stop = (outcome: Outcome): Step => ({ step: 'stop', outcome });

/** Wait before send `sends + 1` after it never left: 0.5 s, 1.5 s, … or what the answer asked for (at most 10 s). */
export function resendDelayMs(sends: number, retryAfterMs: number): number {
	return Math.min(Math.max(500 * 3 ** (sends - 1), retryAfterMs), 10_000);
}

/** The next step, from everything observed so far. */
export function decide(policy: Policy, memory: Memory, history: readonly Observation[]): Step {
	const sends = history.filter((seen) => seen.kind !== 'read' && seen.kind !== 'renewed').length;
	const last = history[history.length - 1];
	if (last === undefined) return start(policy, memory);
	const lastSendIndex = findLastIndex(
		history,
		(seen) => seen.kind !== 'read' && seen.kind !== 'renewed',
	);
	const lastSend = lastSendIndex < 0 ? undefined : history[lastSendIndex];

	switch (last.kind) {
		case 'answered':
			return stop('sent');
		case 'refused':
			if (
				last.tokenRefused &&
				policy.renewsToken &&
				!history.some((seen) => seen.kind === 'renewed')
			) {
				return { step: 'renewToken' };
			}
			// A refusal is no proof of "already done": the state may say it is.
			return policy.canRead ? { step: 'read', afterMs: 0 } : stop('refused');
		case 'renewed':
			return last.ok && sends < MAX_SENDS ? { step: 'send', afterMs: 0 } : stop('refused');
		case 'failed':
			if (last.neverLeft) {
				return last.retryable && sends < MAX_SENDS
					? { step: 'send', afterMs: resendDelayMs(sends, last.retryAfterMs) }
					: stop('notSent');
			}
			return policy.canRead
				? { step: 'read', afterMs: Math.max(READ_DELAYS_MS[0], last.retryAfterMs) }
				: stop('lost');
		case 'read': {
			// The read before the first send.
			if (lastSend === undefined) {
				if (last.verdict === 'done') return stop('alreadyDone');
				if (memory === 'thisExecutionLost') return stop('lost');
				// "Pending" is no proof for a request an earlier run may have sent: it may show late.
				if (memory === 'earlierRun') return stop('earlierRun');
				return last.verdict === 'pending' ? { step: 'send', afterMs: 0 } : stop('unreadableFirst');
			}
			if (last.verdict === 'done') return stop('alreadyDone');
			if (lastSend.kind === 'refused') return stop('refused');
			// After an answer that may have been carried out: look once more for "done", never resend.
			const readsSinceSend = history.length - 1 - lastSendIndex;
			if (last.verdict === 'pending' && readsSinceSend < READ_DELAYS_MS.length) {
				return { step: 'read', afterMs: READ_DELAYS_MS[readsSinceSend] };
			}
			return stop('lost');
		}
	}
}

function start(policy: Policy, memory: Memory): Step {
	switch (memory) {
		case 'thisExecutionSent':
			return stop('alreadyDone');
		case 'thisExecutionLost':
			return policy.canRead ? { step: 'read', afterMs: 0 } : stop('lost');
		case 'earlierRun':
			return policy.canRead ? { step: 'read', afterMs: 0 } : stop('earlierRun');
		case 'none':
			return policy.readFirst && policy.canRead
				? { step: 'read', afterMs: 0 }
				: { step: 'send', afterMs: 0 };
	}
}

function findLastIndex<T>(list: readonly T[], test: (value: T) => boolean): number {
	for (let index = list.length - 1; index >= 0; index--) if (test(list[index])) return index;
	return -1;
}
