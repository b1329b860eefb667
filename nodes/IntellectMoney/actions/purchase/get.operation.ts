/**
 * Purchase → Get State: the invoice as IntellectMoney's Personal API lists it
 * (`personal/payment/getInvoicesHistory` filtered by InvoiceId, reference §2.2), so a workflow can check
 * before it captures or releases. Reads move no money. IntellectMoney lists invoices by InvoiceId only,
 * and the Personal API needs the cabinet Login and Password (a user token).
 */
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateInvoiceId } from '../../helpers/inputValidation';
import type { InvoiceStateOutput } from '../../interfaces';
import { throwIfRefused } from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { invoiceIn, requestInvoice } from '../../transport/stateReads';
import { optionsCollection, requestSettings } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';

const properties: INodeProperties[] = [
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 3000001001',
		description:
			"IntellectMoney's invoice number (InvoiceId): 10 digits starting with 3. Needs Login and Password in the credential.",
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	const invoiceId = validateInvoiceId(
		this,
		itemIndex,
		this.getNodeParameter('invoiceId', itemIndex),
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		includeRaw?: boolean;
		timeoutSeconds?: unknown;
	};
	const settings = requestSettings(this, itemIndex, options);
	const { eshopId, testMode } = await context.shop(itemIndex);
	const userToken = await context.userTokens.get(itemIndex, settings);
	const envelope = await requestInvoice(this, userToken, eshopId, invoiceId, itemIndex, settings);
	throwIfRefused.call(this, envelope, ENDPOINTS.invoiceHistory, itemIndex, {
		UserToken: userToken,
		EshopId: eshopId,
		InvoiceId: invoiceId,
	});
	const invoice = invoiceIn(envelope, invoiceId);
	if (!invoice) {
		throw new NodeOperationError(
			this.getNode(),
			`Invoice ${invoiceId} was not found for shop ${eshopId}`,
			{
				itemIndex,
				description:
					"IntellectMoney's invoice list has no such invoice for this shop. Check the Invoice ID and the Eshop ID in the credential.",
			},
		);
	}
	const state = invoice.State ?? null;
	const lower = state?.toLowerCase();
	const amountText = (value: number | string | undefined) =>
		value === undefined || value === null ? null : String(value);
	const output: InvoiceStateOutput = {
		eshopId,
		invoiceId,
		orderId: invoice.PurchaseOrderId ?? null,
		state,
		held: lower === 'held',
		paid: lower === 'paid',
		refunded: lower === 'refund',
		amount: amountText(invoice.Amount?.Amount),
		currentAmount: amountText(invoice.CurrentAmount?.Amount),
		currency: invoice.CurrentAmount?.Currency ?? invoice.Amount?.Currency ?? null,
		createdAt: invoice.CreationDate ?? null,
		changedAt: invoice.ChangeDate ?? null,
		// A TST invoice is a test one whatever the credential says.
		testMode: testMode || (invoice.CurrentAmount?.Currency ?? invoice.Amount?.Currency) === 'TST',
		...(options.includeRaw === true ? { raw: invoice as IDataObject } : {}),
	};
	return output as unknown as IDataObject;
}
