/**
 * The words of the payout operations for the ways an execute can end (atMostOnce/protocol.ts
 * `Outcome`), in one place.
 */
import type { StateReading } from '../../atMostOnce/send';
import type { PayoutEnvelope } from './payoutState';

export const PAYOUT_WORDS = {
	checkPayout: (payoutOperationId: string) =>
		`Payout ${payoutOperationId}: check the payout in the IntellectMoney cabinet (or with Payout → Get State) before running this again.`,
	readFirst:
		'Nothing was sent. The node reads the state before sending this request, so that a re-run never ' +
		'sends again what an earlier run carried out.',
} as const;

export function notExecutedUnread(payoutOperationId: string, why: string | undefined): string {
	const what = `Payout ${payoutOperationId} was not executed: its state could not be read first`;
	return why ? `${what} (${why})` : what;
}

/** What the node read after a lost answer, for its description. */
export function payoutSeen(reading: StateReading<PayoutEnvelope> | undefined): string {
	if (!reading?.why && reading?.state === undefined) return '';
	const state = reading.state?.Result?.PayoutOperationState;
	const seen = reading.why ?? (state ? `the payout is still ${state}` : 'nothing usable');
	return ` The node read the state: ${seen}${
		reading.verdict === 'pending'
			? ', and an execute may show only ' + 'later, so that proves nothing'
			: ''
	}.`;
}

export function earlierRunDescription(reading: StateReading<PayoutEnvelope> | undefined): string {
	const state = reading?.state?.Result?.PayoutOperationState;
	const seen = state
		? ` The payout now reads ${state}.`
		: reading?.why
			? ` The node read: ${reading.why}.`
			: '';
	return (
		`Nothing was sent. An earlier execution of this node sent this execute and never learned ` +
		`whether IntellectMoney carried it out.${seen} Check the payout in the IntellectMoney cabinet: ` +
		`if it was not executed, turn on Options → Send Even If an Earlier Run May Have Sent It for one run.`
	);
}
