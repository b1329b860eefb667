/**
 * Which invoice a purchase operation acts on (Capture, Release or Refund, Get State), and how the node
 * reads that invoice's state back from IntellectMoney to reconcile a lost answer or a refusal.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateInvoiceId, validateOrderId } from '../../helpers/inputValidation';
import type {
	CaptureIdentifier,
	CapturePurchaseOutput,
	ImEnvelope,
	ImInvoiceData,
	ImInvoicesHistoryData,
	ImPurchaseActionData,
	RefundPurchaseOutput,
} from '../../interfaces';
import { readOperationOutcome } from '../../transport';
import type { RequestSettings } from '../../transport';
import { readInvoice } from '../../transport/stateReads';
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
): string | undefined {
	const identifyBy = this.getNodeParameter('identifyBy', itemIndex) as CaptureIdentifier;
	const value = this.getNodeParameter(identifyBy, itemIndex, '') as unknown;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	return `${identifyBy}:${String(value).trim()}`;
}

export interface PurchaseTarget {
	orderId?: string;
	invoiceId?: string;
}

/** The item's Order ID or Invoice ID, validated. */
export function readPurchaseTarget(this: IExecuteFunctions, itemIndex: number): PurchaseTarget {
	const identifyBy = this.getNodeParameter('identifyBy', itemIndex) as CaptureIdentifier;
	return identifyBy === 'orderId'
		? { orderId: validateOrderId(this, itemIndex, this.getNodeParameter('orderId', itemIndex)) }
		: {
				invoiceId: validateInvoiceId(
					this,
					itemIndex,
					this.getNodeParameter('invoiceId', itemIndex),
				),
			};
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
	const output: Omit<CapturePurchaseOutput & RefundPurchaseOutput, 'status'> & { status: string } =
		{
			eshopId: identity.eshopId,
			orderId: identity.orderId ?? envelope.Result?.OrderId ?? null,
			invoiceId:
				identity.invoiceId ?? (answeredInvoiceId === undefined ? null : String(answeredInvoiceId)),
			// True only when IntellectMoney confirmed it; false while the request is queued.
			captured: !queued,
			refunded: !queued,
			status: queued ? 'queued' : action,
			...outcome,
			alreadyDone: flags.alreadyDone,
			testMode: identity.testMode,
		};
	// Each operation reports its own flag only: `captured` or `refunded`.
	delete (output as Partial<typeof output>)[action === 'captured' ? 'refunded' : 'captured'];
	return output as unknown as IDataObject;
}
