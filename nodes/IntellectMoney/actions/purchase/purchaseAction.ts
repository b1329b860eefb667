/**
 * What the purchase operations share: which invoice they act on (Capture, Release or Refund, Get
 * State), how the node reads that invoice's state back from IntellectMoney to reconcile a lost answer
 * or a refusal, and the one execute flow of Capture and Release or Refund.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	validateInvoiceId,
	validateMerchantReceipt,
	validateOrderId,
} from '../../helpers/inputValidation';
import type {
	CaptureIdentifier,
	CapturePurchaseOutput,
	ImEnvelope,
	ImInvoiceData,
	ImInvoicesHistoryData,
	ImPurchaseActionData,
	RefundPurchaseOutput,
} from '../../interfaces';
import {
	intellectMoneyApiRequest,
	isCredentialRefusal,
	isRefusal,
	readOperationOutcome,
	refusalSummary,
} from '../../transport';
import type { RequestSettings } from '../../transport';
import { sendMoneyMovingRequest } from '../../transport/moneyMoving';
import type { StateReading } from '../../transport/moneyMoving';
import type { ENDPOINTS } from '../../transport/signature';
import { invoiceIn, requestInvoice } from '../../transport/stateReads';
import { requestSettings } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';

/** Identify By + Order ID / Invoice ID, for an operation that `verb`s an invoice ("capture", …). */
export function purchaseTargetProperties(verb: string): INodeProperties[] {
	return [
		{
			displayName: 'Identify By',
			name: 'identifyBy',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Invoice ID',
					value: 'invoiceId',
					description: "IntellectMoney's 10-digit invoice number, starting with 3",
				},
				{
					name: 'Order ID',
					value: 'orderId',
					description:
						'Your own purchase number, sent as OrderId when the invoice was created. Works while the shop option "Accept only a unique purchase number" is on (the default).',
				},
			],
			default: 'orderId',
			description: `How to tell IntellectMoney which invoice to ${verb}`,
		},
		{
			displayName: 'Order ID',
			name: 'orderId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. order-1001',
			description: 'Your purchase number (OrderId), at most 50 characters',
			displayOptions: { show: { identifyBy: ['orderId'] } },
		},
		{
			displayName: 'Invoice ID',
			name: 'invoiceId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 3000001001',
			description: "IntellectMoney's invoice number (InvoiceId): 10 digits starting with 3",
			displayOptions: { show: { identifyBy: ['invoiceId'] } },
		},
	];
}

/**
 * The invoice an item targets, read cheaply without checks: with Parallel Requests, items for one
 * invoice never run at the same time, so a repeat sees the first one's effect as in sequential mode.
 */
export function purchaseConcurrencyKey(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): string | undefined {
	const identifyBy = this.getNodeParameter('identifyBy', itemIndex) as CaptureIdentifier;
	// Read through the execution context: the operation reads the same value, evaluated once.
	const value = context.itemParameter(identifyBy, itemIndex);
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	return `${identifyBy}:${String(value).trim()}`;
}

export interface PurchaseTarget {
	orderId?: string;
	invoiceId?: string;
}

/** The item's Order ID or Invoice ID, validated. */
export function readPurchaseTarget(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): PurchaseTarget {
	const identifyBy = this.getNodeParameter('identifyBy', itemIndex) as CaptureIdentifier;
	const value = context.itemParameter(identifyBy, itemIndex);
	return identifyBy === 'orderId'
		? { orderId: validateOrderId(this, itemIndex, value) }
		: { invoiceId: validateInvoiceId(this, itemIndex, value) };
}

/**
 * The body fields that name the invoice. Exactly one identifier is sent; with InvoiceId only, OrderId is
 * an empty segment of Sign and Hash (reference §3 vector 3, §7 Q2): the signing helper writes '' for it.
 */
export function targetFields(eshopId: string, target: PurchaseTarget): Record<string, string> {
	const body: Record<string, string> = { EshopId: eshopId };
	if (target.orderId !== undefined) body.OrderId = target.orderId;
	if (target.invoiceId !== undefined) body.InvoiceId = target.invoiceId;
	return body;
}

export type FoundInvoice = { invoice: ImInvoiceData; envelope: ImEnvelope<ImInvoicesHistoryData> };

/** The invoice as IntellectMoney lists it, or why it could not be read (for error descriptions). */
export type InvoiceLookup =
	| { found: FoundInvoice; why?: undefined; notListed?: undefined }
	| { found?: undefined; why: string; notListed?: boolean };

/**
 * Reads the invoice through the Personal API (it lists invoices by InvoiceId only, and needs a user
 * token: Login and Password). A refused user token is renewed once. Never throws.
 * Also checks that the invoice is this shop's, where the answer says (InvoiceData.EShopId).
 */
export async function lookUpInvoice(
	this: IExecuteFunctions,
	context: ExecutionContext,
	eshopId: string,
	invoiceId: string,
	itemIndex: number,
	settings: RequestSettings,
): Promise<InvoiceLookup> {
	let envelope: ImEnvelope<ImInvoicesHistoryData>;
	try {
		envelope = await context.userTokens.read(
			itemIndex,
			settings,
			async (userToken) =>
				await requestInvoice(this, userToken, eshopId, invoiceId, itemIndex, settings),
		);
	} catch {
		return {
			why: 'the read of the invoice got no usable answer (or no user token: check Login and Password)',
		};
	}
	if (isRefusal(envelope)) {
		return {
			why: `IntellectMoney refused the read of the invoice (${refusalSummary(envelope)})`,
		};
	}
	const invoice = invoiceIn(envelope, invoiceId);
	if (!invoice) {
		return {
			why: `IntellectMoney lists no invoice ${invoiceId} for shop ${eshopId}`,
			notListed: true,
		};
	}
	if (invoice.EShopId !== undefined && String(invoice.EShopId) !== eshopId) {
		return {
			why: `invoice ${invoiceId} belongs to shop ${String(invoice.EShopId)}, not ${eshopId}`,
		};
	}
	return { found: { invoice, envelope } };
}

/** Why a purchase's state cannot be read, for error descriptions. */
export function unreadableStateReason(target: PurchaseTarget, hasLogin: boolean): string {
	if (target.invoiceId === undefined) {
		return ' (only an invoice identified by Invoice ID can be looked up)';
	}
	return hasLogin ? '' : ' (reading an invoice needs Login and Password in the credential)';
}

/**
 * The output item of a capture or a release/refund, from IntellectMoney's answer or, when the money had
 * already moved, from the state read that proved it (`alreadyDone`).
 */
export function purchaseActionOutput(
	action: 'captured' | 'refunded',
	identity: PurchaseTarget & { eshopId: string; testMode: boolean },
	envelope: ImEnvelope<ImPurchaseActionData>,
	flags: { includeRaw: boolean; alreadyDone: boolean },
): IDataObject {
	const { queued, ...outcome } = readOperationOutcome(envelope, flags.includeRaw);
	const answeredInvoiceId = envelope.Result?.InvoiceId;
	const output = {
		eshopId: identity.eshopId,
		orderId: identity.orderId ?? envelope.Result?.OrderId ?? null,
		invoiceId:
			identity.invoiceId ?? (answeredInvoiceId === undefined ? null : String(answeredInvoiceId)),
		// `captured` or `refunded`: true only when IntellectMoney confirmed it, false while it is queued.
		[action]: !queued,
		status: queued ? 'queued' : action,
		...outcome,
		alreadyDone: flags.alreadyDone,
		testMode: identity.testMode,
	} as CapturePurchaseOutput | RefundPurchaseOutput;
	return output as unknown as IDataObject;
}

/** How Capture and Release or Refund differ; everything else about them is the same flow. */
export interface PurchaseActionSpec {
	endpoint: typeof ENDPOINTS.capturePurchase | typeof ENDPOINTS.refundPurchase;
	action: 'captured' | 'refunded';
	/** InvoiceData state (lower case) after the request was carried out (wiki InvoiceData states). */
	doneState: string;
	/** InvoiceData states (lower case) the request acts on: it was not carried out yet. */
	pendingStates: string[];
	/**
	 * Pending states that do not prove, after a lost answer, that the request was not carried out:
	 * its effect may show late (a refund of a paid invoice), so it is never sent again on them.
	 */
	lateEffectStates?: string[];
	/**
	 * Whether to read the invoice before the first send (when it can be read): IntellectMoney
	 * publishes no rule that refuses a repeat of this request, so a re-run must not send it blindly.
	 */
	readFirst: boolean;
	/** What a repeat does, for error descriptions: "A second capture of a captured invoice is refused…". */
	repeatRule: string;
	/** "captured", "released or refunded": for the note on a refused repeat. */
	pastTense: string;
	/** What a state that is neither pending nor done means for this action, e.g. "nothing is held to capture". */
	describeOtherState(state: string): string;
	/** Checks before anything is sent that need the shop (Capture's Maximum Amount). */
	beforeSending?(
		shop: { eshopId: string },
		target: PurchaseTarget,
		settings: RequestSettings,
	): Promise<void>;
}

/**
 * Capture or Release/Refund one item: validate, send once through sendMoneyMovingRequest, and
 * reconcile against the invoice's state, so that money moves at most once.
 */
export async function runPurchaseAction(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
	spec: PurchaseActionSpec,
): Promise<IDataObject> {
	const target = readPurchaseTarget.call(this, itemIndex, context);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		includeRaw?: boolean;
		merchantReceipt?: unknown;
		timeoutSeconds?: unknown;
	};
	const merchantReceipt = validateMerchantReceipt(this, itemIndex, options.merchantReceipt);
	const settings = requestSettings(this, itemIndex, options);
	const { eshopId, testMode, hasLogin } = await context.shop(itemIndex);
	await spec.beforeSending?.({ eshopId }, target, settings);

	const body = targetFields(eshopId, target);
	if (merchantReceipt !== undefined) body.MerchantReceipt = merchantReceipt;
	const includeRaw = options.includeRaw === true;
	const identity = { eshopId, testMode, ...target };
	const { invoiceId } = target;
	// Only an invoice named by Invoice ID can be read, and only with Login and Password.
	const readState =
		invoiceId !== undefined && hasLogin
			? async (): Promise<StateReading<FoundInvoice>> => {
					const lookup = await lookUpInvoice.call(
						this,
						context,
						eshopId,
						invoiceId,
						itemIndex,
						settings,
					);
					if (!lookup.found) {
						return { verdict: 'unknown', why: lookup.why, answered: lookup.notListed === true };
					}
					const state = (lookup.found.invoice.State ?? '').toLowerCase();
					if (state === spec.doneState) return { verdict: 'done', state: lookup.found };
					if (spec.pendingStates.includes(state)) {
						const why = `the invoice is still ${lookup.found.invoice.State ?? ''}`;
						return { verdict: 'pending', state: lookup.found, why };
					}
					const shown = lookup.found.invoice.State || 'without a state';
					return {
						verdict: 'unknown',
						state: lookup.found,
						answered: true,
						why: `the invoice is ${shown}: ${spec.describeOtherState(state)}`,
					};
				}
			: undefined;
	const checkInCabinet = 'check the invoice in the IntellectMoney cabinet';

	const outcome = await sendMoneyMovingRequest<ImPurchaseActionData, FoundInvoice>(
		this,
		itemIndex,
		{
			endpoint: spec.endpoint,
			body: () => body,
			send: async () =>
				await intellectMoneyApiRequest.call(this, spec.endpoint, body, itemIndex, settings),
			readState,
			readFirst: spec.readFirst,
			pendingProvesNotDone: (found) =>
				!(spec.lateEffectStates ?? []).includes((found?.invoice.State ?? '').toLowerCase()),
			unreadableBeforeSending: `Invoice ${invoiceId ?? ''} was not ${spec.action}: its state could not be read first`,
			unknownStateAdvice: `The node cannot tell whether it was carried out${readState ? '' : unreadableStateReason(target, hasLogin)}: ${checkInCabinet} before running this again. ${spec.repeatRule}`,
			refusalNote: (refusal, reading) => {
				// A refusal about the keys or the signature is never a repeat's: the hint says what to fix.
				if (isCredentialRefusal(refusal)) return '';
				if (reading === undefined) {
					return `If an earlier run or attempt already ${spec.pastTense} this purchase, this refusal is expected and nothing was ${spec.action} twice: ${checkInCabinet}. To have such repeats reported as alreadyDone, identify the invoice by Invoice ID and set Login and Password in the credential.`;
				}
				if (reading.verdict === 'pending') {
					return `The invoice is still ${reading.state?.invoice.State ?? 'pending'}, so this is not the refusal of a repeat.`;
				}
				if (reading.answered)
					return `IntellectMoney's state says why: ${reading.why ?? 'unknown'}.`;
				return `The node could not read the invoice's state (${reading.why ?? 'unknown'}). If an earlier run already ${spec.pastTense} this purchase, this refusal is expected: ${checkInCabinet}.`;
			},
		},
	);
	if (outcome.envelope) {
		return purchaseActionOutput(spec.action, identity, outcome.envelope, {
			includeRaw,
			alreadyDone: false,
		});
	}
	const found = outcome.alreadyDone;
	const orderId = target.orderId ?? found?.invoice.PurchaseOrderId;
	return purchaseActionOutput(
		spec.action,
		{ ...identity, orderId },
		found?.envelope ?? { OperationState: { Code: 0 } },
		{ includeRaw, alreadyDone: true },
	);
}
