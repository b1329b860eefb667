/**
 * Purchase → Capture: `POST merchant/purchaseToPaid` (seeds/004_fccea8ed138cdb48.txt).
 * Transfers the amount held on an invoice (two-stage payment) to the shop.
 */
import { NodeApiError, NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';

import {
	validateInvoiceId,
	validateMaxAmount,
	validateMerchantReceipt,
	validateOrderId,
} from '../../helpers/inputValidation';
import type {
	CaptureIdentifier,
	CapturePurchaseOutput,
	ImEnvelope,
	ImPurchaseActionData,
} from '../../interfaces';
import {
	asTransportFailure,
	backoffMs,
	intellectMoneyApiRequest,
	isRefusal,
	MAX_ATTEMPTS,
	readOperationOutcome,
	throwIfRefused,
} from '../../transport';
import type { RequestSettings } from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { readInvoice } from '../../transport/stateReads';
import {
	includeRawOption,
	parallelRequestsOption,
	requestSettings,
	timeoutOption,
} from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';

const properties: INodeProperties[] = [
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
		description: 'How to tell IntellectMoney which held invoice to capture',
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			includeRawOption,
			timeoutOption,
			parallelRequestsOption,
			{
				displayName: 'Maximum Amount',
				name: 'maxAmount',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					'Refuse to capture an invoice holding more than this (in its currency); 0 = no limit. The node reads the held amount first, so this needs Identify By Invoice ID and Login and Password in the credential. Useful when an AI agent uses this node.',
			},
			{
				displayName: 'Merchant Receipt',
				name: 'merchantReceipt',
				type: 'json',
				default: '',
				description:
					'Online cash-register receipt (54-FZ) as a JSON object, when the shop fiscalises through IntellectMoney and the receipt changes with this capture',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['capture'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	const identifyBy = this.getNodeParameter('identifyBy', itemIndex) as CaptureIdentifier;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		includeRaw?: boolean;
		merchantReceipt?: unknown;
		timeoutSeconds?: unknown;
		maxAmount?: unknown;
	};
	const orderId =
		identifyBy === 'orderId'
			? validateOrderId(this, itemIndex, context.itemParameter('orderId', itemIndex))
			: undefined;
	const invoiceId =
		identifyBy === 'invoiceId'
			? validateInvoiceId(this, itemIndex, context.itemParameter('invoiceId', itemIndex))
			: undefined;
	const merchantReceipt = validateMerchantReceipt(this, itemIndex, options.merchantReceipt);
	const settings = requestSettings(this, itemIndex, options);
	const maxAmount = validateMaxAmount(this, itemIndex, options.maxAmount, invoiceId);
	const { eshopId } = await context.shop(itemIndex);

	// Exactly one identifier is sent. With InvoiceId only, OrderId is an empty segment of Sign and Hash
	// (reference §3 vector 3, §7 Q2): the signing helper writes '' for an absent field.
	const body: Record<string, string> = { EshopId: eshopId };
	if (orderId !== undefined) body.OrderId = orderId;
	if (invoiceId !== undefined) body.InvoiceId = invoiceId;
	if (merchantReceipt !== undefined) body.MerchantReceipt = merchantReceipt;

	const includeRaw = options.includeRaw === true;
	const identity = { eshopId, orderId, invoiceId };

	/**
	 * Whether IntellectMoney's state says the money was already captured. Only an invoice identified
	 * by Invoice ID can be looked up (the Personal API lists invoices by InvoiceId, not OrderId), and
	 * only with Login and Password in the credential; otherwise the answer is "unknown".
	 */
	const alreadyCaptured = async (): Promise<IDataObject | 'held' | 'unknown'> => {
		if (invoiceId === undefined) return 'unknown';
		try {
			const userToken = await context.userTokens.get(itemIndex, settings);
			const found = await readInvoice(this, userToken, eshopId, invoiceId, itemIndex, settings);
			const state = found?.invoice.State?.toLowerCase();
			if (state === 'held') return 'held';
			// InvoiceData states (reference §4.1): Paid = the held amount was transferred to the shop.
			if (found && state === 'paid') {
				const orderFromState = found.invoice.PurchaseOrderId;
				return captureOutput(
					{ ...identity, orderId: orderId ?? orderFromState },
					found.envelope,
					includeRaw,
					true,
				);
			}
		} catch {
			// fall through: the state could not be read
		}
		return 'unknown';
	};

	if (maxAmount !== undefined && invoiceId !== undefined) {
		await assertWithinMaxAmount.call(
			this,
			context,
			{ eshopId, invoiceId, maxAmount },
			itemIndex,
			settings,
		);
	}

	for (let attempt = 1; ; attempt++) {
		let envelope: ImEnvelope<ImPurchaseActionData>;
		try {
			envelope = await intellectMoneyApiRequest.call(
				this,
				ENDPOINTS.capturePurchase,
				body,
				itemIndex,
				settings,
			);
		} catch (error) {
			const failure = asTransportFailure(error);
			if (!failure) throw new NodeApiError(this.getNode(), error as JsonObject);
			if (failure.mayHaveApplied) {
				const state = await alreadyCaptured();
				if (typeof state === 'object') return state;
				if (state === 'unknown') {
					failure.error.description = `${failure.error.description} The node cannot check the invoice's state${invoiceId === undefined ? ' (only an invoice identified by Invoice ID can be looked up)' : ''}: check it in the IntellectMoney cabinet before running this again. A second capture of a captured invoice is refused, never paid twice.`;
					throw failure.error;
				}
			}
			// Not carried out (the invoice is still held, or nothing was sent): repeating it is harmless.
			if (!failure.retryable || attempt >= MAX_ATTEMPTS) throw failure.error;
			await sleep(backoffMs(attempt, failure));
			continue;
		}
		let note = '';
		if (isRefusal(envelope)) {
			// IntellectMoney publishes no code for "already captured": the invoice's state says it.
			const state = await alreadyCaptured();
			if (typeof state === 'object') return state;
			if (state === 'unknown' && envelope.OperationState?.Code !== 2) {
				note =
					'If an earlier run or attempt already captured this purchase, this refusal is expected and nothing was captured twice: check the invoice in the IntellectMoney cabinet. To have such repeats reported as alreadyDone, identify the invoice by Invoice ID and set Login and Password in the credential.';
			}
		}
		throwIfRefused.call(this, envelope, ENDPOINTS.capturePurchase, itemIndex, body, note);
		return captureOutput(identity, envelope, includeRaw, false);
	}
}

/** The output item from a capture answer, or from a state read when the capture was already done. */
function captureOutput(
	identity: { eshopId: string; orderId?: string; invoiceId?: string },
	envelope: ImEnvelope<ImPurchaseActionData>,
	includeRaw: boolean,
	alreadyDone: boolean,
): IDataObject {
	const { queued, ...outcome } = readOperationOutcome(envelope, includeRaw);
	const answeredInvoiceId = envelope.Result?.InvoiceId;
	const output: CapturePurchaseOutput = {
		eshopId: identity.eshopId,
		orderId: identity.orderId ?? envelope.Result?.OrderId ?? null,
		invoiceId:
			identity.invoiceId ?? (answeredInvoiceId === undefined ? null : String(answeredInvoiceId)),
		captured: !queued,
		status: queued ? 'queued' : 'captured',
		...outcome,
		alreadyDone,
	};
	return output as unknown as IDataObject;
}

/**
 * Refuses, before anything moves, to capture an invoice that holds more than `maxAmount`: checked
 * against IntellectMoney's own figure (CurrentAmount, else Amount, of the Personal API's InvoiceData).
 */
async function assertWithinMaxAmount(
	this: IExecuteFunctions,
	context: ExecutionContext,
	target: { eshopId: string; invoiceId: string; maxAmount: number },
	itemIndex: number,
	settings: RequestSettings,
): Promise<void> {
	const { eshopId, invoiceId, maxAmount } = target;
	const userToken = await context.userTokens.get(itemIndex, settings);
	const found = await readInvoice(this, userToken, eshopId, invoiceId, itemIndex, settings);
	const held = found?.invoice.CurrentAmount ?? found?.invoice.Amount;
	const amount = Number(held?.Amount);
	if (!found || !Number.isFinite(amount)) {
		throw new NodeOperationError(
			this.getNode(),
			`Could not read the amount of invoice ${invoiceId}: not captured`,
			{
				itemIndex,
				description:
					'Maximum Amount is set, so the node reads the held amount before capturing. Check the Invoice ID and Login and Password in the credential, or clear Maximum Amount.',
			},
		);
	}
	if (amount > maxAmount) {
		throw new NodeOperationError(
			this.getNode(),
			`Invoice ${invoiceId} holds ${amount.toFixed(2)}${held?.Currency ? ` ${held.Currency}` : ''}, more than the Maximum Amount ${maxAmount.toFixed(2)}: not captured`,
			{
				itemIndex,
				description:
					'Raise Options → Maximum Amount if this capture is intended, or capture it by hand in the IntellectMoney cabinet.',
			},
		);
	}
}

/** The invoice an item targets: with Parallel Requests, captures of one invoice never overlap. */
export function concurrencyKey(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): string | undefined {
	const identifyBy = this.getNodeParameter('identifyBy', itemIndex) as CaptureIdentifier;
	const value = context.itemParameter(identifyBy, itemIndex);
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	return `${identifyBy}:${String(value).trim()}`;
}
