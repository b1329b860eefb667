/**
 * Purchase → Capture: `POST merchant/purchaseToPaid` (seeds/004_fccea8ed138cdb48.txt).
 * Transfers the amount held on an invoice (two-stage payment) to the shop.
 */
import { updateDisplayOptions } from 'n8n-workflow';
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
	ImPurchaseActionData,
} from '../../interfaces';
import {
	intellectMoneyApiRequest,
	readOperationOutcome,
	throwIfRefused,
} from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { includeRawOption } from '../common.descriptions';
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
	};
	const orderId =
		identifyBy === 'orderId'
			? validateOrderId(this, itemIndex, this.getNodeParameter('orderId', itemIndex))
			: undefined;
	const invoiceId =
		identifyBy === 'invoiceId'
			? validateInvoiceId(this, itemIndex, this.getNodeParameter('invoiceId', itemIndex))
			: undefined;
	const merchantReceipt = validateMerchantReceipt(this, itemIndex, options.merchantReceipt);
	const { eshopId } = await context.shop(itemIndex);

	// Exactly one identifier is sent. With InvoiceId only, OrderId is an empty segment of Sign and Hash
	// (reference §3 vector 3, §7 Q2): the signing helper writes '' for an absent field.
	const body: Record<string, string> = { EshopId: eshopId };
	if (orderId !== undefined) body.OrderId = orderId;
	if (invoiceId !== undefined) body.InvoiceId = invoiceId;
	if (merchantReceipt !== undefined) body.MerchantReceipt = merchantReceipt;

	const envelope: ImEnvelope<ImPurchaseActionData> = await intellectMoneyApiRequest.call(
		this,
		ENDPOINTS.capturePurchase,
		body,
		itemIndex,
	);
	throwIfRefused.call(this, envelope, ENDPOINTS.capturePurchase, itemIndex);

	const { queued, ...outcome } = readOperationOutcome(envelope, options.includeRaw === true);
	const answeredInvoiceId = envelope.Result?.InvoiceId;
	const output: CapturePurchaseOutput = {
		eshopId,
		orderId: orderId ?? envelope.Result?.OrderId ?? null,
		invoiceId: invoiceId ?? (answeredInvoiceId === undefined ? null : String(answeredInvoiceId)),
		captured: !queued,
		status: queued ? 'queued' : 'captured',
		...outcome,
	};
	return output as unknown as IDataObject;
}
