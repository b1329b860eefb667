/**
 * The output item of a capture or a release/refund (outputs.ts CapturePurchaseOutput,
 * RefundPurchaseOutput), from IntellectMoney's answer or, when the money had already moved, from the
 * invoice read that proved it (`alreadyDone`).
 */
import type { IDataObject } from 'n8n-workflow';

import type { CapturePurchaseOutput, RefundPurchaseOutput } from '../../outputs';
import { operationOutcome } from '../common/outcome';
import type { PurchaseActionRequest, PurchaseActionResult } from './purchaseFlow';

export function purchaseActionOutput(
	action: 'captured' | 'refunded',
	request: PurchaseActionRequest,
	result: PurchaseActionResult,
): IDataObject {
	const { target: identity, shop } = request;
	const includeRaw = request.options.includeRaw === true;
	const alreadyDone = result.envelope === undefined;
	const envelope = result.envelope ??
		result.alreadyDone?.envelope ?? { OperationState: { Code: 0 } };
	const { queued, ...outcome } = operationOutcome(envelope, includeRaw, alreadyDone);
	const answeredInvoiceId = result.envelope?.Result?.InvoiceId;
	const orderId =
		identity.orderId ??
		(alreadyDone ? result.alreadyDone?.invoice.PurchaseOrderId : result.envelope?.Result?.OrderId);
	const output = {
		eshopId: shop.eshopId,
		orderId: orderId ?? null,
		invoiceId:
			identity.invoiceId ?? (answeredInvoiceId === undefined ? null : String(answeredInvoiceId)),
		// `captured` or `refunded`: true only when IntellectMoney confirmed it, false while it is queued.
		[action]: !queued,
		status: queued ? 'queued' : action,
		...outcome,
		alreadyDone,
		testMode: shop.testMode,
	} as CapturePurchaseOutput | RefundPurchaseOutput;
	return output as unknown as IDataObject;
}
