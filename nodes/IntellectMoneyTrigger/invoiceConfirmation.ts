/**
 * Confirm Invoice ID: asks IntellectMoney whether the notification's `paymentId` (not covered by the
 * hash) is this shop's invoice for the hashed Order ID, before the number is passed on as a fact.
 *
 * Two Personal API reads, through the node's transport (`httpRequestWithAuthentication`, signed by
 * the credential): a user token (`personal/user/getUserToken`, Login and Password added by the
 * credential), then the invoice (`personal/payment/getInvoicesHistory` with InvoiceId and EshopId,
 * dev/personal/api/getInvoicesHistory). One attempt each: when a read fails the trigger answers
 * something other than `OK`, and IntellectMoney sends the notification again later. The token lives
 * only in this call and is never logged, answered or put into an item; no byte of an answer is either.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { ImInvoiceData, ImUserTokenData } from '../../shared/api';
import { ENDPOINTS } from '../../shared/signature';
import { invoiceIn, requestInvoice } from '../../shared/transport/reads';
import { isRefusal } from '../../shared/transport/refusal';
import { intellectMoneyApiRequest } from '../../shared/transport/request';

/** Per request: IntellectMoney is waiting for the trigger's answer meanwhile. */
export const CONFIRMATION_TIMEOUT_MS = 10_000;

/** IntellectMoney's invoice numbers are digits (10, starting with 3, in every published example). */
const INVOICE_NUMBER = /^\d{1,19}$/;

export type InvoiceConfirmation =
	| { outcome: 'confirmed'; invoiceId: string }
	/** IntellectMoney says the number is not this order's invoice: someone changed it. */
	| { outcome: 'mismatch'; reason: string }
	/** Nothing could be learnt now (no answer, a refusal, not listed yet): ask to be sent again. */
	| { outcome: 'unavailable'; reason: string };

/** One attempt per read: IntellectMoney waits for the answer meanwhile. */
const ONCE = { once: true, timeoutMs: CONFIRMATION_TIMEOUT_MS };

export async function confirmInvoice(
	context: IWebhookFunctions,
	claim: { eshopId: string; orderId: string; invoiceId: string | null },
): Promise<InvoiceConfirmation> {
	const invoiceId = (claim.invoiceId ?? '').trim();
	if (!INVOICE_NUMBER.test(invoiceId)) {
		return { outcome: 'mismatch', reason: 'its paymentId is not an invoice number' };
	}

	let userToken: string;
	try {
		const envelope = await intellectMoneyApiRequest<ImUserTokenData>(
			context,
			ENDPOINTS.userSession,
			{},
			ONCE,
		);
		const token = envelope.Result?.UserToken;
		if (isRefusal(envelope) || typeof token !== 'string' || token === '') {
			return {
				outcome: 'unavailable',
				reason: 'IntellectMoney issued no user token (check Login and Password in the credential)',
			};
		}
		userToken = token;
	} catch {
		return { outcome: 'unavailable', reason: 'IntellectMoney could not be asked for a user token' };
	}

	let listed: ImInvoiceData | undefined;
	try {
		const envelope = await requestInvoice(context, userToken, claim.eshopId, invoiceId, ONCE);
		if (isRefusal(envelope)) {
			return { outcome: 'unavailable', reason: 'IntellectMoney refused to list the invoice' };
		}
		listed = invoiceIn(envelope, invoiceId);
	} catch {
		return { outcome: 'unavailable', reason: 'IntellectMoney could not be asked for the invoice' };
	}

	if (listed === undefined) {
		// A number nobody issued, or an invoice the Personal API does not list yet.
		return { outcome: 'unavailable', reason: 'IntellectMoney does not list the invoice' };
	}
	const shop = listed.EShopId;
	if (shop !== undefined && shop !== null && String(shop).trim() !== claim.eshopId) {
		return { outcome: 'mismatch', reason: 'IntellectMoney lists the invoice for another shop' };
	}
	const order = listed.PurchaseOrderId;
	if (typeof order !== 'string' || order === '') {
		return { outcome: 'unavailable', reason: 'IntellectMoney lists the invoice without its order' };
	}
	if (order !== claim.orderId) {
		return { outcome: 'mismatch', reason: 'IntellectMoney lists the invoice for another order' };
	}
	return { outcome: 'confirmed', invoiceId };
}
