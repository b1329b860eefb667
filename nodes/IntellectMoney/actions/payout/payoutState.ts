/**
 * A payout operation's state as the payout operations see it: which states are final, the status
 * word the output gives, the output item built from a `PayoutOperationData` answer, and the read of
 * the state as evidence before and after an execute.
 */
import type { ImEnvelope, ImPayoutOperationData } from '../../../../shared/api';
import { endpointLooksWrong } from '../../../../shared/inferences/endpointLooksWrong';
import { ENDPOINTS } from '../../../../shared/signature';
import { requestPayoutState } from '../../../../shared/transport/reads';
import { isRefusal, refusalSummary } from '../../../../shared/transport/refusal';
import type { RequestSettings } from '../../../../shared/transport/request';
import type { PayoutOutput, PayoutStatus } from '../../outputs';
import type { StateReading } from '../../atMostOnce/send';
import { operationOutcome } from '../common/outcome';
import type { RunScope } from '../scope';

/**
 * docs/intellectmoney-api.md §2.3 and wiki/88768545 publish only `InProcess` and `Failed`; `Created` is the state before
 * Execute. So "still moving" is read narrowly: Created and InProcess. Any other state is final, and
 * `completed` is claimed only for a name that says so; anything else is `other` (still final).
 */
const IN_PROGRESS = new Set(['created', 'inprocess']);
const COMPLETED = new Set([
	'completed',
	'complete',
	'success',
	'succeeded',
	'successful',
	'done',
	'executed',
	'paid',
]);

export function payoutStatus(payoutState: string | null, queued: boolean): PayoutStatus {
	if (queued || payoutState === null) return queued ? 'queued' : 'other';
	const state = payoutState.toLowerCase();
	if (state === 'created') return 'created';
	if (state === 'inprocess') return 'processing';
	if (state === 'failed') return 'failed';
	return COMPLETED.has(state) ? 'completed' : 'other';
}

/** Whether IntellectMoney's PayoutOperationState is one the payout will not leave. */
export function isFinalPayoutState(payoutState: string | null | undefined): boolean {
	return (
		typeof payoutState === 'string' &&
		payoutState !== '' &&
		!IN_PROGRESS.has(payoutState.toLowerCase())
	);
}

/** The output item from a `PayoutOperationData` answer (create, execute, state read). */
export function payoutOutput(
	envelope: ImEnvelope<ImPayoutOperationData>,
	payoutOperationId: string,
	flags: { includeRaw: boolean; alreadyDone: boolean; testMode: boolean },
): PayoutOutput {
	const { queued, ...outcome } = operationOutcome(envelope, flags.includeRaw, flags.alreadyDone);
	const payoutState = envelope.Result?.PayoutOperationState ?? null;
	const status = payoutStatus(payoutState, queued);
	// docs/intellectmoney-api.md §2.3: a payout the bank refused still answers State 0, with PayoutOperationState "Failed"
	// and ErrorMessage. It is an output item (not an error) so an IF node can route it.
	return {
		payoutOperationId: envelope.Result?.PayoutOperationId ?? payoutOperationId,
		payoutState,
		status,
		final: !queued && isFinalPayoutState(payoutState),
		failed: status === 'failed',
		errorMessage: envelope.Result?.ErrorMessage ?? null,
		...outcome,
		alreadyDone: flags.alreadyDone,
		testMode: flags.testMode,
	};
}

export type PayoutEnvelope = ImEnvelope<ImPayoutOperationData>;

/**
 * The payout as IntellectMoney's getOperationState shows it: `Created` is the one state before
 * Execute (docs/intellectmoney-api.md §2.3 and wiki/88768545 publish only InProcess and Failed after it), so Created =
 * pending and any other state = executed. A refused, empty or foreign answer is unknown. Never throws.
 */
export async function readPayoutState(
	run: RunScope,
	payoutOperationId: string,
	settings: RequestSettings,
): Promise<StateReading<PayoutEnvelope>> {
	let envelope: PayoutEnvelope;
	try {
		envelope = await run.userTokens.read(
			settings,
			async (userToken) =>
				await requestPayoutState(run.node, userToken, payoutOperationId, settings),
		);
	} catch (error) {
		return {
			verdict: 'unknown',
			why: 'the read of the payout got no usable answer',
			...wrongPayoutStateEndpoint(error),
		};
	}
	if (isRefusal(envelope)) {
		const why = `IntellectMoney refused the read of the payout (${refusalSummary(envelope)})`;
		return { verdict: 'unknown', why, ...wrongPayoutStateEndpoint(envelope) };
	}
	const state = envelope.Result?.PayoutOperationState;
	const answeredId = envelope.Result?.PayoutOperationId;
	if (typeof state !== 'string' || state === '') {
		return {
			verdict: 'unknown',
			why: 'IntellectMoney answered without a PayoutOperationState',
			...wrongPayoutStateEndpoint(envelope),
		};
	}
	if (typeof answeredId === 'string' && answeredId.toLowerCase() !== payoutOperationId) {
		return { verdict: 'unknown', why: 'IntellectMoney answered about another payout operation' };
	}
	return { verdict: state.toLowerCase() === 'created' ? 'pending' : 'done', state: envelope };
}

/**
 * getOperationState's path, fields and Sign are inferred (docs/intellectmoney-api.md §2.3, §10.1
 * `payout-state-endpoint`): an answer that shows the endpoint itself is wrong is said so.
 */
function wrongPayoutStateEndpoint(
	answerOrFailure: unknown,
): Pick<StateReading<never>, 'wrongEndpoint'> {
	const seen = endpointLooksWrong(ENDPOINTS.payoutState, answerOrFailure);
	return seen ? { wrongEndpoint: { inference: 'payout-state-endpoint', seen } } : {};
}
