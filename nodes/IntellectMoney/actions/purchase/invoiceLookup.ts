/**
 * The invoice as IntellectMoney's Personal API lists it (it lists invoices by InvoiceId only, and
 * needs a user token: Login and Password), for the state reads of the purchase operations and the
 * Maximum Amount check. Never throws: a read that cannot be done says why.
 */
import type { ImEnvelope, ImInvoiceData, ImInvoicesHistoryData } from '../../../../shared/api';
import { endpointLooksWrong } from '../../../../shared/inferences/endpointLooksWrong';
import type { WrongEndpoint } from '../../../../shared/inferences/endpointLooksWrong';
import { ENDPOINTS } from '../../../../shared/signature';
import { invoiceIn, requestInvoice, timesListed } from '../../../../shared/transport/reads';
import { isRefusal, refusalSummary } from '../../../../shared/transport/refusal';
import type { RequestSettings } from '../../../../shared/transport/request';
import type { RunScope } from '../scope';

export type FoundInvoice = { invoice: ImInvoiceData; envelope: ImEnvelope<ImInvoicesHistoryData> };

/** The invoice as IntellectMoney lists it, or why it could not be read (for error descriptions). */
export type InvoiceLookup =
	| { found: FoundInvoice; why?: undefined; notListed?: undefined; wrongEndpoint?: undefined }
	| { found?: undefined; why: string; notListed?: boolean; wrongEndpoint?: WrongInvoiceList };

/** getInvoicesHistory's shape is inferred (docs/intellectmoney-api.md §10.1 `invoice-list-shape`). */
export type WrongInvoiceList = { inference: 'invoice-list-shape'; seen: WrongEndpoint };

function wrongInvoiceList(answerOrFailure: unknown): { wrongEndpoint?: WrongInvoiceList } {
	const seen = endpointLooksWrong(ENDPOINTS.invoiceHistory, answerOrFailure);
	return seen ? { wrongEndpoint: { inference: 'invoice-list-shape', seen } } : {};
}

/**
 * Reads one invoice of the shop; a refused user token is renewed once. Also checks that the invoice
 * is this shop's, where the answer says (InvoiceData.EShopId).
 */
export async function lookUpInvoice(
	run: RunScope,
	eshopId: string,
	invoiceId: string,
	settings: RequestSettings,
): Promise<InvoiceLookup> {
	let envelope: ImEnvelope<ImInvoicesHistoryData>;
	try {
		envelope = await run.userTokens.read(
			settings,
			async (userToken) => await requestInvoice(run.node, userToken, eshopId, invoiceId, settings),
		);
	} catch (error) {
		return {
			why: 'the read of the invoice got no usable answer (or no user token: check Login and Password)',
			...wrongInvoiceList(error),
		};
	}
	if (isRefusal(envelope)) {
		return {
			why: `IntellectMoney refused the read of the invoice (${refusalSummary(envelope)})`,
			...wrongInvoiceList(envelope),
		};
	}
	const wrongShape = wrongInvoiceList(envelope);
	if (wrongShape.wrongEndpoint !== undefined) {
		return {
			why: 'IntellectMoney answered the read of the invoice without an invoice list',
			...wrongShape,
		};
	}
	const invoice = invoiceIn(envelope, invoiceId);
	if (timesListed(envelope, invoiceId) > 1) {
		return {
			why: `IntellectMoney lists invoice ${invoiceId} more than once, so its state is unknown`,
		};
	}
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
