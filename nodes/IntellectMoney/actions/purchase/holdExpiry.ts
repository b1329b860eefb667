/**
 * When a hold ends. IntellectMoney's InvoiceData carries no hold end (docs/intellectmoney-api.md
 * §4.1), so it is computed: when the hold began, plus the Hold Time the shop creates its invoices
 * with (createInvoice HoldTime, at most 119 hours, §2.1). When the hold began is read, in this order:
 *
 * 1. `payment`: the earliest confirmed payment in the invoice's HistoryList (listed with
 *    IncludePaymentTransactions): State `Confirm`, InvoicePaymentType other than `Refund`. The
 *    buyer's payment is what puts the amount on hold. The names come from python-intellectmoney's
 *    models ([S]); that this payment's CreationDate is the hold's start is this package's reading [I].
 * 2. `changeDate`: the invoice's ChangeDate, its last change: for a Held invoice at the latest the
 *    change to Held, so a later change (if IntellectMoney records any while it stays Held) would make
 *    the computed end late [I].
 *
 * Pure; only a Held invoice has a hold end, and one whose start cannot be read has none (null).
 */
import type { ImInvoiceData } from '../../../../shared/api';
import { moscowIso, readImDate } from '../../../../shared/moscowTime';
import { stateOf } from './invoiceState';

export type HoldStartSource = 'payment' | 'changeDate';

export interface HoldTiming {
	/** When the hold began (ISO 8601, +03:00), or null when not held or not told. */
	holdStartedAt: string | null;
	/** Which field told it. */
	holdStartedFrom: HoldStartSource | null;
	/** holdStartedAt + the Hold Time, or null. */
	holdExpiresAt: string | null;
}

const HOUR_MS = 60 * 60 * 1000;

/** The instant the hold began and what told it, or undefined when it cannot be told. */
function holdStart(invoice: ImInvoiceData): { at: number; from: HoldStartSource } | undefined {
	const payments = Array.isArray(invoice.HistoryList) ? invoice.HistoryList : [];
	let earliest: number | undefined;
	for (const payment of payments) {
		if (payment === null || typeof payment !== 'object') continue;
		const confirmed = String(payment.State ?? '').toLowerCase() === 'confirm';
		const refund = String(payment.InvoicePaymentType ?? '').toLowerCase() === 'refund';
		const at = readImDate(payment.CreationDate);
		if (confirmed && !refund && at !== undefined && (earliest === undefined || at < earliest)) {
			earliest = at;
		}
	}
	if (earliest !== undefined) return { at: earliest, from: 'payment' };
	const changed = readImDate(invoice.ChangeDate);
	return changed === undefined ? undefined : { at: changed, from: 'changeDate' };
}

/** The hold's start and end of an invoice, for a shop whose holds last `holdTimeHours`. */
export function holdTiming(
	invoice: ImInvoiceData,
	holdTimeHours: number,
): HoldTiming & { expiresAt?: number } {
	const start = stateOf(invoice) === 'held' ? holdStart(invoice) : undefined;
	if (start === undefined) {
		return { holdStartedAt: null, holdStartedFrom: null, holdExpiresAt: null };
	}
	const expiresAt = start.at + holdTimeHours * HOUR_MS;
	return {
		holdStartedAt: moscowIso(start.at),
		holdStartedFrom: start.from,
		holdExpiresAt: moscowIso(expiresAt),
		expiresAt,
	};
}
