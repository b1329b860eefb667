/**
 * The one flow of the purchase actions (Capture, Release or Refund): the request an item's
 * parameters make, read and checked before anything is sent (readPurchaseRequest), then sent at most
 * once (atMostOnce/), with the invoice's state read back from IntellectMoney where it can be. An
 * action brings its policy as data: how the invoice states classify, whether to read first, whether
 * to record it across runs. Its words are in messages.ts.
 */
import type { ImEnvelope, ImPurchaseActionData } from '../../../../shared/api';
import type { ENDPOINTS } from '../../../../shared/signature';
import { refusalError } from '../../../../shared/transport/refusal';
import { intellectMoneyApiRequest } from '../../../../shared/transport/request';
import type { RequestSettings } from '../../../../shared/transport/request';
import { sendAtMostOnce } from '../../atMostOnce/send';
import type { StateReading } from '../../atMostOnce/send';
import { rememberAliases } from '../../atMostOnce/memory';
import type { AttemptTarget } from '../../atMostOnce/memory';
import { inferenceError } from '../../../../shared/inferences/error';
import { lostError, outcomeError } from '../../atMostOnce/errors';
import { validateMerchantReceipt } from '../../validation/receipt';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope, ShopSettings } from '../scope';
import { lookUpInvoice } from './invoiceLookup';
import type { FoundInvoice } from './invoiceLookup';
import {
	earlierRunDescription,
	earlierRunMessage,
	lostAdvice,
	missingForStateReads,
	NOT_READ_FIRST_DESCRIPTION,
	notReadFirst,
	PURCHASE_WORDS,
	refusalNote,
	refusalTitle,
	seenState,
} from './messages';
import type { PurchaseAction } from './messages';
import { readPurchaseTarget, targetFields } from './target';
import type { PurchaseTarget } from './target';

/**
 * What an invoice's state (lower case, InvoiceData.State) means for an action: carried out; still
 * waiting for it (no proof after a lost answer: a change may show late); neither (the action cannot
 * apply to it).
 */
export type InvoiceVerdict = 'done' | 'pending' | 'other';

export interface PurchaseActionPolicy {
	action: PurchaseAction;
	endpoint: typeof ENDPOINTS.capturePurchase | typeof ENDPOINTS.refundPurchase;
	classify(state: string): InvoiceVerdict;
	/**
	 * Read the invoice before the first send (when it can be read): where IntellectMoney publishes no
	 * rule that refuses a repeat, a re-run must not send it blindly.
	 */
	readFirst: boolean;
	/** Record it in n8n's store across executions (atMostOnce/memory.ts), for the same reason. */
	acrossRuns: boolean;
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
	sendAfterEarlierRun?: boolean;
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

/** The target an action is remembered under: its invoice as the item named it. */
export function purchaseAttempt(
	policy: PurchaseActionPolicy,
	request: PurchaseActionRequest,
): AttemptTarget {
	const { invoiceId, orderId } = request.target;
	const named = invoiceId !== undefined ? `invoice:${invoiceId}` : `order:${orderId ?? ''}`;
	return { operation: policy.action, target: `${request.shop.eshopId}:${named}` };
}

/** The invoice's other name in IntellectMoney's answer: its Order ID, or its Invoice ID. */
function aliasesOf(
	policy: PurchaseActionPolicy,
	request: PurchaseActionRequest,
	answered: { InvoiceId?: unknown; OrderId?: unknown } | null | undefined,
): AttemptTarget[] {
	if (!policy.acrossRuns || !answered) return [];
	const { invoiceId, orderId } = request.target;
	const eshop = request.shop.eshopId;
	const other =
		invoiceId !== undefined
			? typeof answered.OrderId === 'string' && answered.OrderId !== ''
				? `order:${answered.OrderId}`
				: undefined
			: answered.InvoiceId !== undefined && answered.InvoiceId !== null && orderId !== undefined
				? `invoice:${String(answered.InvoiceId)}`
				: undefined;
	return other ? [{ operation: policy.action, target: `${eshop}:${other}` }] : [];
}

/** Sends the action at most once; IntellectMoney's answer or the proof it was done, else the error. */
export async function sendPurchaseAction(
	run: RunScope,
	request: PurchaseActionRequest,
	policy: PurchaseActionPolicy,
): Promise<PurchaseActionResult> {
	const { target, body, settings, shop, options } = request;
	const { invoiceId } = target;
	const node = run.node.getNode();
	// Only an invoice named by Invoice ID can be read, and only with Login and Password.
	const canRead = invoiceId !== undefined && shop.hasLogin;

	const result = await sendAtMostOnce<ImPurchaseActionData, FoundInvoice>({
		policy: { canRead, readFirst: policy.readFirst, renewsToken: false },
		send: async () => await intellectMoneyApiRequest(run.node, policy.endpoint, body, settings),
		readState: canRead
			? async () => await readInvoiceState(run, shop.eshopId, invoiceId, settings, policy)
			: undefined,
		attempt: {
			context: run.node,
			...purchaseAttempt(policy, request),
			acrossRuns: policy.acrossRuns,
			ignoreEarlierRuns: options.sendAfterEarlierRun === true,
		},
	});

	switch (result.outcome) {
		case 'sent':
			await rememberAliases(run.node, aliasesOf(policy, request, result.envelope.Result));
			return { envelope: result.envelope };
		case 'alreadyDone':
			await rememberAliases(
				run.node,
				aliasesOf(policy, request, { OrderId: result.state?.invoice.PurchaseOrderId }),
			);
			return { alreadyDone: result.state };
		case 'refused': {
			const note = refusalNote(
				policy.action,
				result.envelope,
				result.reading,
				missingForStateReads(target, shop.hasLogin),
			);
			const title = refusalTitle(policy.endpoint, result.reading);
			throw outcomeError(
				'refused',
				refusalError(node, result.envelope, policy.endpoint, body, note, title),
			);
		}
		case 'lost':
			throw lostError(
				node,
				result.lost,
				`${seenState(result.reading)} ${lostAdvice(policy.action, target, shop.hasLogin)}`,
			);
		case 'unreadableFirst': {
			const wrong = result.reading.wrongEndpoint;
			// The read itself looks wrong on the live API: name the inference, never a dead end.
			if (wrong !== undefined) {
				const what = notReadFirst(policy.action, invoiceId ?? '', undefined);
				throw outcomeError(
					'unreadableFirst',
					inferenceError(node, wrong.inference, what, wrong.seen),
				);
			}
			throw outcomeError('unreadableFirst', {
				node,
				message: notReadFirst(policy.action, invoiceId ?? '', result.reading.why),
				description: `${NOT_READ_FIRST_DESCRIPTION} ${lostAdvice(policy.action, target, shop.hasLogin)}`,
			});
		}
		case 'notSent':
			throw outcomeError('notSent', result.failure.error);
		case 'earlierRun':
			throw outcomeError('earlierRun', {
				node,
				message: earlierRunMessage(policy.action, target),
				description: earlierRunDescription(result.reading),
			});
	}
}

/** The invoice's state as evidence for the action (atMostOnce/send.ts StateReading). Never throws. */
async function readInvoiceState(
	run: RunScope,
	eshopId: string,
	invoiceId: string,
	settings: RequestSettings,
	policy: PurchaseActionPolicy,
): Promise<StateReading<FoundInvoice>> {
	const lookup = await lookUpInvoice(run, eshopId, invoiceId, settings);
	if (!lookup.found) {
		return {
			verdict: 'unknown',
			why: lookup.why,
			answered: lookup.notListed === true,
			...(lookup.wrongEndpoint ? { wrongEndpoint: lookup.wrongEndpoint } : {}),
		};
	}
	const shown = lookup.found.invoice.State ?? '';
	const verdict = policy.classify(shown.toLowerCase());
	if (verdict === 'done') return { verdict: 'done', state: lookup.found };
	if (verdict === 'pending') {
		return { verdict: 'pending', state: lookup.found, why: `the invoice is still ${shown}` };
	}
	return {
		verdict: 'unknown',
		state: lookup.found,
		answered: true,
		why: `the invoice is ${shown || 'without a state'}: ${PURCHASE_WORDS[policy.action].otherState(shown.toLowerCase())}`,
	};
}
