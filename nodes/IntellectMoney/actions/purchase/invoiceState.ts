/**
 * An invoice as IntellectMoney's Personal API lists it (InvoiceData, docs/intellectmoney-api.md
 * §4.1), shaped into the typed item of Purchase → Get State and Get Many (outputs.ts
 * InvoiceStateOutput). Dates carry their zone: `2026-11-20T10:15:00+03:00` (shared/moscowTime.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { ImInvoiceData } from '../../../../shared/api';
import { imDateToIso } from '../../../../shared/moscowTime';
import type { InvoiceStateOutput } from '../../outputs';

/** An amount as text, exactly as IntellectMoney sent it (never through a rounding). */
function amountText(value: number | string | undefined): string | null {
	return value === undefined || value === null ? null : String(value);
}

/** An invoice's number as text, '' when the entry has none. */
export function invoiceIdOf(invoice: ImInvoiceData | null | undefined): string {
	return invoice?.Id === undefined || invoice.Id === null ? '' : String(invoice.Id);
}

/** InvoiceData.State in lower case, for comparisons: IntellectMoney's words are `Held`, `Paid`, … */
export function stateOf(invoice: ImInvoiceData): string | undefined {
	return typeof invoice.State === 'string' ? invoice.State.toLowerCase() : undefined;
}

export function invoiceStateOutput(
	invoice: ImInvoiceData,
	shop: { eshopId: string; testMode: boolean },
	includeRaw: boolean,
): InvoiceStateOutput {
	const lower = stateOf(invoice);
	const currency = invoice.CurrentAmount?.Currency ?? invoice.Amount?.Currency ?? null;
	return {
		eshopId: shop.eshopId,
		invoiceId: invoiceIdOf(invoice),
		orderId: invoice.PurchaseOrderId ?? null,
		state: invoice.State ?? null,
		held: lower === 'held',
		paid: lower === 'paid',
		refunded: lower === 'refund',
		amount: amountText(invoice.Amount?.Amount),
		currentAmount: amountText(invoice.CurrentAmount?.Amount),
		currency,
		createdAt: imDateToIso(invoice.CreationDate),
		changedAt: imDateToIso(invoice.ChangeDate),
		// A TST invoice is a test one whatever the credential says.
		testMode: shop.testMode || currency === 'TST',
		...(includeRaw ? { raw: invoice as IDataObject } : {}),
	};
}
