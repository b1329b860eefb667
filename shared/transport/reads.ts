/**
 * Reads of IntellectMoney's own state: one invoice from the Personal API's invoice list, one payout
 * operation. Only IntellectMoney knows whether money moved, so the node and the trigger ask. Reads
 * are harmless to repeat, so `repeatableRequest` retries their transport failures; `once: true` asks
 * exactly once (the trigger, which IntellectMoney is waiting on).
 */
import type {
	ImEnvelope,
	ImInvoiceData,
	ImInvoicesHistoryData,
	ImPayoutOperationData,
	ImResultBase,
} from '../api';
import { ENDPOINTS } from '../signature';
import type { IntellectMoneyEndpoint } from '../signature';
import { intellectMoneyApiRequest } from './request';
import type { ApiContext, RequestSettings } from './request';
import { repeatableRequest } from './retry';

export interface ReadSettings extends RequestSettings {
	/** One attempt only, no retry. */
	once?: boolean;
}

async function read<TResult extends ImResultBase>(
	context: ApiContext,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string>,
	settings: ReadSettings,
): Promise<ImEnvelope<TResult>> {
	return settings.once
		? await intellectMoneyApiRequest<TResult>(context, endpoint, body, settings)
		: await repeatableRequest<TResult>(context, endpoint, body, settings);
}

/** getOperationState's answer, refusals included (transport failures retried, then thrown). */
export async function requestPayoutState(
	context: ApiContext,
	userToken: string,
	payoutOperationId: string,
	settings: ReadSettings,
): Promise<ImEnvelope<ImPayoutOperationData>> {
	const body = { UserToken: userToken, PayoutOperationId: payoutOperationId };
	return await read(context, ENDPOINTS.payoutState, body, settings);
}

/**
 * getInvoicesHistory's answer for one invoice of the shop, refusals included
 * (dev/personal/api/getInvoicesHistory: the list is filtered by InvoiceId and EshopId).
 */
export async function requestInvoice(
	context: ApiContext,
	userToken: string,
	eshopId: string,
	invoiceId: string,
	settings: ReadSettings,
): Promise<ImEnvelope<ImInvoicesHistoryData>> {
	const body = {
		UserToken: userToken,
		Skip: '0',
		Take: '1',
		EshopId: eshopId,
		InvoiceId: invoiceId,
	};
	return await read(context, ENDPOINTS.invoiceHistory, body, settings);
}

/** How many entries of a getInvoicesHistory answer are the invoice. */
export function timesListed(
	envelope: ImEnvelope<ImInvoicesHistoryData>,
	invoiceId: string,
): number {
	const list = envelope.Result?.InvoicesHistoryList;
	return Array.isArray(list) ? list.filter((entry) => String(entry?.Id) === invoiceId).length : 0;
}

/**
 * The invoice in a getInvoicesHistory answer, or undefined when it is not listed exactly once: listed
 * twice, which entry is now is unknown, so neither may be taken as its state.
 */
export function invoiceIn(
	envelope: ImEnvelope<ImInvoicesHistoryData>,
	invoiceId: string,
): ImInvoiceData | undefined {
	if (timesListed(envelope, invoiceId) !== 1) return undefined;
	return envelope.Result?.InvoicesHistoryList?.find((entry) => String(entry?.Id) === invoiceId);
}
