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
import { isRefusal, repeatableRequest } from './index';
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

/** The payout operation as IntellectMoney sees it, or undefined when it refuses to say. */
export async function readPayoutOperation(
	context: IExecuteFunctions,
	userToken: string,
	payoutOperationId: string,
	itemIndex: number,
	settings: RequestSettings,
): Promise<ImEnvelope<ImPayoutOperationData> | undefined> {
	const envelope = await requestPayoutState(
		context,
		userToken,
		payoutOperationId,
		itemIndex,
		settings,
	);
	return isRefusal(envelope) || !envelope.Result?.PayoutOperationState ? undefined : envelope;
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

/** The invoice as the Personal API lists it, with the answer, or undefined when not found or refused. */
export async function readInvoice(
	context: IExecuteFunctions,
	userToken: string,
	eshopId: string,
	invoiceId: string,
	itemIndex: number,
	settings: RequestSettings,
): Promise<{ invoice: ImInvoiceData; envelope: ImEnvelope<ImInvoicesHistoryData> } | undefined> {
	const envelope = await requestInvoice(
		context,
		userToken,
		eshopId,
		invoiceId,
		itemIndex,
		settings,
	);
	if (isRefusal(envelope)) return undefined;
	const invoice = invoiceIn(envelope, invoiceId);
	return invoice ? { invoice, envelope } : undefined;
}
