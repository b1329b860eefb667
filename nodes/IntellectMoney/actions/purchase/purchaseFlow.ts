/**
 * The one send-and-reconcile flow of the purchase actions (Capture, Release or Refund): a request
 * the operation built goes out through sendMoneyMovingRequest, and the invoice's state, read back
 * from IntellectMoney where it can be, decides what a lost answer or a refusal means. An action
 * brings its policy: a classification of the invoice states and its messages, whole sentences.
 */
import type { ImEnvelope, ImPurchaseActionData } from '../../../../shared/api';
import type { ENDPOINTS } from '../../../../shared/signature';
import { isCredentialRefusal, REFUSED_ACTION } from '../../../../shared/transport/refusal';
import { intellectMoneyApiRequest } from '../../../../shared/transport/request';
import type { RequestSettings } from '../../../../shared/transport/request';
import { sendMoneyMovingRequest } from '../../transport/moneyMoving';
import type { StateReading } from '../../transport/moneyMoving';
import { validateMerchantReceipt } from '../../validation/receipt';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope, ShopSettings } from '../scope';
import { lookUpInvoice } from './invoiceLookup';
import type { FoundInvoice } from './invoiceLookup';
import { readPurchaseTarget, targetFields, unreadableStateReason } from './target';
import type { PurchaseTarget } from './target';

/**
 * What an invoice's state (lower case, InvoiceData.State) means for an action: carried out; still
 * waiting for it; waiting, but a change may show late (so it proves nothing after a lost answer);
 * neither (the action cannot apply to it).
 */
export type InvoiceVerdict = 'done' | 'pending' | 'pendingMayLag' | 'other';

export interface PurchaseActionPolicy {
	endpoint: typeof ENDPOINTS.capturePurchase | typeof ENDPOINTS.refundPurchase;
	classify(state: string): InvoiceVerdict;
	/**
	 * Read the invoice before the first send (when it can be read): where IntellectMoney publishes no
	 * rule that refuses a repeat, a re-run must not send it blindly.
	 */
	readFirst: boolean;
	messages: {
		/** The error when the invoice could not be read before sending. */
		notReadFirst(invoiceId: string): string;
		/** What a repeat does, for the error after a lost answer. */
		repeatRule: string;
		/** A refusal that may be the repeat of an earlier run's action. */
		maybeRepeat: string;
		/** Why a state that is neither pending nor done does not fit the action. */
		otherState(state: string): string;
	};
}

export interface PurchaseActionRequest<
	TOptions extends PurchaseActionOptions = PurchaseActionOptions,
> {
	target: PurchaseTarget;
	options: TOptions;
	body: Record<string, string>;
	settings: RequestSettings;
	shop: ShopSettings;
}

/** The options every purchase action has. */
export interface PurchaseActionOptions extends CommonOptions {
	merchantReceipt?: unknown;
}

/**
 * An item's purchase action request, read and checked once: its invoice, options, receipt, Timeout
 * and the shop, and the body that names the invoice.
 */
export async function readPurchaseRequest<TOptions extends PurchaseActionOptions>(
	item: ItemScope,
	run: RunScope,
): Promise<PurchaseActionRequest<TOptions>> {
	const target = readPurchaseTarget(item);
	const options = item.param('options', {}) as TOptions;
	const merchantReceipt = validateMerchantReceipt(options.merchantReceipt);
	const settings = requestSettings(options);
	const shop = await run.shop();
	const body = targetFields(shop.eshopId, target);
	if (merchantReceipt !== undefined) body.MerchantReceipt = merchantReceipt;
	return { target, options, body, settings, shop };
}

/** IntellectMoney's answer, or the invoice read that proved the action had been carried out. */
export type PurchaseActionResult =
	| { envelope: ImEnvelope<ImPurchaseActionData>; alreadyDone?: undefined }
	| { alreadyDone: FoundInvoice | undefined; envelope?: undefined };

const CHECK_IN_CABINET = 'check the invoice in the IntellectMoney cabinet';

export async function sendPurchaseAction(
	run: RunScope,
	request: PurchaseActionRequest,
	policy: PurchaseActionPolicy,
): Promise<PurchaseActionResult> {
	const { target, body, settings, shop } = request;
	const { invoiceId } = target;
	const { messages } = policy;
	// Only an invoice named by Invoice ID can be read, and only with Login and Password.
	const readState =
		invoiceId !== undefined && shop.hasLogin
			? async () => await readInvoiceState(run, shop.eshopId, invoiceId, settings, policy)
			: undefined;

	return await sendMoneyMovingRequest<ImPurchaseActionData, FoundInvoice>(run.node.getNode(), {
		endpoint: policy.endpoint,
		body: () => body,
		send: async () => await intellectMoneyApiRequest(run.node, policy.endpoint, body, settings),
		readState,
		readFirst: policy.readFirst,
		pendingProvesNotDone: (found) =>
			policy.classify((found?.invoice.State ?? '').toLowerCase()) !== 'pendingMayLag',
		unreadableBeforeSending: messages.notReadFirst(invoiceId ?? ''),
		unknownStateAdvice: `The node cannot tell whether it was carried out${readState ? '' : unreadableStateReason(target, shop.hasLogin)}: ${CHECK_IN_CABINET} before running this again. ${messages.repeatRule}`,
		refusalNote: (refusal, reading) => {
			// A refusal about the keys or the signature is never a repeat's: the hint says what to fix.
			if (isCredentialRefusal(refusal)) return '';
			if (reading === undefined) {
				return `${messages.maybeRepeat}: ${CHECK_IN_CABINET}. To have such repeats reported as alreadyDone, ${missingForStateReads(target, shop.hasLogin)}.`;
			}
			if (reading.verdict === 'pending') {
				return `The invoice is still ${reading.state?.invoice.State ?? 'pending'}, so this is not the refusal of a repeat.`;
			}
			if (reading.answered) return `IntellectMoney's state says why: ${reading.why ?? 'unknown'}.`;
			return `The node could not read the invoice's state (${reading.why ?? 'unknown'}). ${messages.maybeRepeat}: ${CHECK_IN_CABINET}.`;
		},
		refusalTitle: (_refusal, reading) => {
			const refused = REFUSED_ACTION[policy.endpoint];
			if (reading?.answered && reading.state === undefined) return 'Invoice not found';
			const shown = reading?.state?.invoice.State;
			if (!shown) return undefined;
			return reading?.verdict === 'pending'
				? `${refused}: the invoice is still ${shown}`
				: `${refused}: the invoice is ${shown}`;
		},
	});
}

/** What the node lacks to read the invoice after a refusal: only what is missing. */
function missingForStateReads(target: PurchaseTarget, hasLogin: boolean): string {
	if (target.invoiceId === undefined) {
		return hasLogin
			? 'identify the invoice by Invoice ID (Login and Password are set)'
			: 'identify the invoice by Invoice ID and set Login and Password in the credential';
	}
	return 'set Login and Password in the credential (the invoice is identified by Invoice ID)';
}

/** The invoice's state as evidence for the action (moneyMoving.ts StateReading). Never throws. */
async function readInvoiceState(
	run: RunScope,
	eshopId: string,
	invoiceId: string,
	settings: RequestSettings,
	policy: PurchaseActionPolicy,
): Promise<StateReading<FoundInvoice>> {
	const lookup = await lookUpInvoice(run, eshopId, invoiceId, settings);
	if (!lookup.found) {
		return { verdict: 'unknown', why: lookup.why, answered: lookup.notListed === true };
	}
	const shown = lookup.found.invoice.State ?? '';
	const verdict = policy.classify(shown.toLowerCase());
	if (verdict === 'done') return { verdict: 'done', state: lookup.found };
	if (verdict === 'pending' || verdict === 'pendingMayLag') {
		return { verdict: 'pending', state: lookup.found, why: `the invoice is still ${shown}` };
	}
	return {
		verdict: 'unknown',
		state: lookup.found,
		answered: true,
		why: `the invoice is ${shown || 'without a state'}: ${policy.messages.otherState(shown.toLowerCase())}`,
	};
}
