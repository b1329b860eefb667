/**
 * Purchase → Get State: the invoice as IntellectMoney's Personal API lists it
 * (`personal/payment/getInvoicesHistory` filtered by InvoiceId, docs/intellectmoney-api.md §2.2), so
 * a workflow can check before it captures or releases. Reads move no money. IntellectMoney lists
 * invoices by InvoiceId only, and the Personal API needs the cabinet Login and Password (a user token).
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ENDPOINTS } from '../../../../shared/signature';
import { invoiceIn, requestInvoice } from '../../../../shared/transport/reads';
import { throwIfRefused } from '../../../../shared/transport/refusal';
import { ItemError } from '../../errors';
import { validateInvoiceId } from '../../validation/identifiers';
import { optionsCollection } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';
import { invoiceStateOutput } from './invoiceState';
import { invoiceIdProperty } from './target';

const properties: INodeProperties[] = [
	invoiceIdProperty(
		"IntellectMoney's invoice number (InvoiceId): 10 digits starting with 3. Needs Login and Password in the credential.",
	),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['get'] } },
	properties,
);

export async function execute(item: ItemScope, run: RunScope): Promise<IDataObject> {
	const invoiceId = validateInvoiceId(item.param('invoiceId'));
	const options = item.param('options', {}) as CommonOptions;
	const settings = requestSettings(options);
	const { eshopId, testMode } = await run.shop();
	const userToken = await run.userTokens.get(settings);
	const envelope = await requestInvoice(run.node, userToken, eshopId, invoiceId, settings);
	throwIfRefused(run.node.getNode(), envelope, ENDPOINTS.invoiceHistory, {
		UserToken: userToken,
		EshopId: eshopId,
		InvoiceId: invoiceId,
	});
	const invoice = invoiceIn(envelope, invoiceId);
	if (!invoice) {
		throw new ItemError(
			`Invoice ${invoiceId} was not found for shop ${eshopId}`,
			"IntellectMoney's invoice list has no such invoice for this shop. Check the Invoice ID and the Eshop ID in the credential.",
		);
	}
	const output = invoiceStateOutput(invoice, { eshopId, testMode }, options.includeRaw === true);
	return output as unknown as IDataObject;
}
