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
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ImInvoiceData, ImUserTokenData } from '../../shared/api';
import { ENDPOINTS } from '../../shared/signature';
import { invoiceIn, requestInvoice } from '../../shared/transport/reads';
import { isRefusal } from '../../shared/transport/refusal';
import { intellectMoneyApiRequest } from '../../shared/transport/request';
import { refuse } from './answers';

/** Per request: IntellectMoney is waiting for the trigger's answer meanwhile. */
export const CONFIRMATION_TIMEOUT_MS = 10_000;

/** IntellectMoney's invoice numbers are digits (10, starting with 3, in every published example). */
const INVOICE_NUMBER = /^\d{1,19}$/;

export type InvoiceConfirmation =
	/** `state`: the invoice's State as IntellectMoney lists it (`Held`, `Paid`, `Refund`, …). */
	| { outcome: 'confirmed'; invoiceId: string; state: string }
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
	return { outcome: 'confirmed', invoiceId, state: String(listed.State ?? '') };
}

/**
 * Invoice States that come after a hold (docs/intellectmoney-api.md §4.1: `Paid` captured, `Refund`
 * released or refunded). `Created` is not among them: the Personal API may list a fresh hold late.
 */
const AFTER_HOLD = new Set(['Paid', 'ToPaid', 'Refund']);

/**
 * Confirm Invoice ID as a step of a notification: the confirmed invoice number, or the answer to give
 * instead. IntellectMoney's state is the witness for a *held* notification: one for an invoice that
 * is no longer held (captured, refunded, released) is stale (`noLongerHeld`): under Repeated
 * Notifications → Drop it starts nothing. A repeated *paid* reads the same as the first: there only
 * the records tell.
 */
export async function confirmationStep(
	context: IWebhookFunctions,
	claim: {
		eshopId: string;
		orderId: string;
		invoiceId: string;
		event: string;
		hasPersonalLogin: boolean;
	},
): Promise<{ invoiceId: string; noLongerHeld: boolean } | { answer: IWebhookResponseData }> {
	if (!claim.hasPersonalLogin) {
		const reason = 'Confirm Invoice ID needs Login and Password in the credential';
		return { answer: refuse(context, 503, reason) };
	}
	const confirmation = await confirmInvoice(context, claim);
	if (confirmation.outcome === 'confirmed') {
		const noLongerHeld = claim.event === 'held' && AFTER_HOLD.has(confirmation.state);
		if (noLongerHeld) {
			context.logger.info(
				`IntellectMoney Trigger: a held notification is stale: IntellectMoney lists the invoice as ${confirmation.state}, no longer held`,
			);
		}
		return { invoiceId: confirmation.invoiceId, noLongerHeld };
	}
	context.logger.warn(
		`IntellectMoney Trigger: a verified notification was not passed on: ${confirmation.reason}`,
	);
	// Not remembered either way, so the genuine notification still passes when it comes.
	const reason = confirmation.reason;
	return {
		answer:
			confirmation.outcome === 'mismatch'
				? refuse(context, 403, `the invoice number is not this order's (${reason})`)
				: refuse(
						context,
						503,
						`the invoice number could not be confirmed now (${reason}); send it again later`,
					),
	};
}
