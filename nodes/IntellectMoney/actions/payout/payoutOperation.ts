/**
 * What the payout operations share: the output item built from a `PayoutOperationData` answer, which
 * states are final, and the Test Mode refusal.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type {
	ImEnvelope,
	ImPayoutOperationData,
	PayoutOutput,
	PayoutStatus,
} from '../../interfaces';
import { readOperationOutcome } from '../../transport';

export const payoutOperationIdProperty: INodeProperties = {
	displayName: 'Payout Operation ID',
	name: 'payoutOperationId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
	description:
		'The PayoutOperationId (a GUID) that IntellectMoney returned when the payout operation was created',
};

/**
 * seeds/000 and wiki/88768545 publish only `InProcess` and `Failed`; `Created` is the state before
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
	const { queued, ...outcome } = readOperationOutcome(envelope, flags.includeRaw);
	const payoutState = envelope.Result?.PayoutOperationState ?? null;
	const status = payoutStatus(payoutState, queued);
	// seeds/000: a payout the bank refused still answers State 0, with PayoutOperationState "Failed"
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

/**
 * dev/info/access documents the TST test currency for invoices only (CreateInvoice, BankCardPayment,
 * GetBankCardPaymentState): nothing says a payout can be a test. So a Test Mode credential never sends
 * a payout, rather than send one that might be real.
 */
export function refusePayoutInTestMode(
	node: IExecuteFunctions,
	itemIndex: number,
	testMode: boolean,
): void {
	if (!testMode) return;
	throw new NodeOperationError(node.getNode(), 'Payouts are not sent in Test Mode', {
		itemIndex,
		description:
			'IntellectMoney documents no test mode for payouts (the TST currency covers invoices only), so a payout sent now could be real. Use a credential without Test Mode, or the bundled sandbox (npm run sandbox) to try payouts.',
	});
}

export function asItem(output: object): IDataObject {
	return output as IDataObject;
}
