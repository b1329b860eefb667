/**
 * Reads of IntellectMoney's own state, used to reconcile a capture or payout whose answer was a
 * refusal or got lost: only IntellectMoney knows whether the money moved, so the node asks before it
 * reports "already done" or repeats anything. Reads are harmless to repeat, so they retry transport
 * failures (repeatableRequest).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type {
	ImEnvelope,
	ImInvoiceData,
	ImInvoicesHistoryData,
	ImPayoutOperationData,
} from '../interfaces';
import { repeatableRequest } from './index';
import type { RequestSettings } from './index';
import { ENDPOINTS } from './signature';

/** getOperationState's answer, refusals included (transport failures retried, then thrown). */
export async function requestPayoutState(
	context: IExecuteFunctions,
	userToken: string,
	payoutOperationId: string,
	itemIndex: number,
	settings: RequestSettings,
): Promise<ImEnvelope<ImPayoutOperationData>> {
	const body = { UserToken: userToken, PayoutOperationId: payoutOperationId };
	return await repeatableRequest(context, ENDPOINTS.payoutState, body, itemIndex, settings);
}

/** getInvoicesHistory's answer for one invoice, refusals included (transport failures retried, then thrown). */
export async function requestInvoice(
	context: IExecuteFunctions,
	userToken: string,
	eshopId: string,
	invoiceId: string,
	itemIndex: number,
	settings: RequestSettings,
): Promise<ImEnvelope<ImInvoicesHistoryData>> {
	const body = {
		UserToken: userToken,
		Skip: '0',
		Take: '1',
		EshopId: eshopId,
		InvoiceId: invoiceId,
	};
	return await repeatableRequest(context, ENDPOINTS.invoiceHistory, body, itemIndex, settings);
}

/** The invoice in a getInvoicesHistory answer, or undefined when it is not listed. */
export function invoiceIn(
	envelope: ImEnvelope<ImInvoicesHistoryData>,
	invoiceId: string,
): ImInvoiceData | undefined {
	return envelope.Result?.InvoicesHistoryList?.find((entry) => String(entry.Id) === invoiceId);
}
