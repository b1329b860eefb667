/**
 * IntellectMoney's identifiers: the shop's purchase number, the invoice number, the payout operation
 * id. Pure functions; a failure is an ItemError naming the field and the fix.
 */
import { ItemError } from '../errors';
import { requireSignedText, requireText } from './text';

const INVOICE_ID = /^3\d{9}$/;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws the item's error: what is wrong, and how to fix it. */
function fail(message: string, description: string): never {
	throw new ItemError(message, description);
}

/** The shop's purchase number (docs/intellectmoney-api.md §2.1: OrderId, at most 50 characters). */
export function validateOrderId(value: unknown): string {
	return requireSignedText(value, 'Order ID', 50);
}

/**
 * IntellectMoney's invoice number (docs/intellectmoney-api.md §2.1: InvoiceId `3xxxxxxxxx`). `orHint` is what else the
 * operation can take, for operations that offer Identify By.
 */
export function validateInvoiceId(value: unknown, orHint = ''): string {
	const invoiceId = requireText(value, 'Invoice ID', 10);
	if (!INVOICE_ID.test(invoiceId)) {
		fail(
			`Invoice ID "${invoiceId}" is not an IntellectMoney invoice number`,
			`An Invoice ID has 10 digits and starts with 3, e.g. 3000001001 (the paymentId of a ` +
				`notification, or invoiceId of Create Invoice).${orHint}`,
		);
	}
	return invoiceId;
}

/** A payout operation id (docs/intellectmoney-api.md §2.3: PayoutOperationId, guid). */
export function validatePayoutOperationId(value: unknown): string {
	const id = requireText(value, 'Payout Operation ID', 36);
	if (!GUID.test(id)) {
		fail(
			`Payout Operation ID "${id}" is not a GUID`,
			'Use the PayoutOperationId that IntellectMoney returned when the payout was created, e.g. 5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23.',
		);
	}
	return id.toLowerCase();
}
