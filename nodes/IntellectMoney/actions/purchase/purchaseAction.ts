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
import { intellectMoneyApiRequest, readOperationOutcome } from '../../transport';
import type { RequestSettings } from '../../transport';
import { sendMoneyMovingRequest } from '../../transport/moneyMoving';
import type { MoneyState } from '../../transport/moneyMoving';
import type { ENDPOINTS } from '../../transport/signature';
import { readInvoice } from '../../transport/stateReads';
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

/**
 * The invoice as IntellectMoney lists it, or `undefined` when it cannot be told: only an invoice
 * identified by Invoice ID can be looked up (the Personal API lists invoices by InvoiceId, not
 * OrderId), and only with Login and Password in the credential. Never throws.
 */
export async function lookUpInvoice(
	this: IExecuteFunctions,
	context: ExecutionContext,
	eshopId: string,
	target: PurchaseTarget,
	itemIndex: number,
	settings: RequestSettings,
): Promise<FoundInvoice | undefined> {
	if (target.invoiceId === undefined) return undefined;
	try {
		const userToken = await context.userTokens.get(itemIndex, settings);
		return await readInvoice(this, userToken, eshopId, target.invoiceId, itemIndex, settings);
	} catch {
		return undefined;
	}
}

/** Why a purchase's state cannot be read, for error descriptions. */
export function unreadableStateReason(target: PurchaseTarget): string {
	return target.invoiceId === undefined
		? ' (only an invoice identified by Invoice ID can be looked up)'
		: '';
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
	/** InvoiceData state (lower case) after the request was carried out (reference §4.1). */
	doneState: string;
	/** InvoiceData states (lower case) the request acts on: seen after a lost answer, it was not carried out. */
	pendingStates: string[];
	/** What a repeat does, for error descriptions: "A second capture of a captured invoice is refused…". */
	repeatRule: string;
	/** "captured", "released or refunded": for the note on a refused repeat. */
	pastTense: string;
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
	const { eshopId, testMode } = await context.shop(itemIndex);
	await spec.beforeSending?.({ eshopId }, target, settings);

	const body = targetFields(eshopId, target);
	if (merchantReceipt !== undefined) body.MerchantReceipt = merchantReceipt;
	const includeRaw = options.includeRaw === true;
	const identity = { eshopId, testMode, ...target };

	const outcome = await sendMoneyMovingRequest<ImPurchaseActionData>(this, itemIndex, {
		endpoint: spec.endpoint,
		body: () => body,
		send: async () =>
			await intellectMoneyApiRequest.call(this, spec.endpoint, body, itemIndex, settings),
		readState: async (): Promise<MoneyState> => {
			const found = await lookUpInvoice.call(this, context, eshopId, target, itemIndex, settings);
			const state = found?.invoice.State?.toLowerCase() ?? '';
			if (spec.pendingStates.includes(state)) return 'notDone';
			if (found && state === spec.doneState) {
				const orderId = target.orderId ?? found.invoice.PurchaseOrderId;
				const flags = { includeRaw, alreadyDone: true };
				return {
					done: purchaseActionOutput(spec.action, { ...identity, orderId }, found.envelope, flags),
				};
			}
			return 'unknown';
		},
		unknownStateAdvice: `The node cannot check the invoice's state${unreadableStateReason(target)}: check it in the IntellectMoney cabinet before running this again. ${spec.repeatRule}`,
		refusalNote: `If an earlier run or attempt already ${spec.pastTense} this purchase, this refusal is expected and nothing was ${spec.action} twice: check the invoice in the IntellectMoney cabinet. To have such repeats reported as alreadyDone, identify the invoice by Invoice ID and set Login and Password in the credential.`,
	});
	const flags = { includeRaw, alreadyDone: false };
	return outcome.done ?? purchaseActionOutput(spec.action, identity, outcome.envelope, flags);
}
