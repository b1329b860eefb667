/**
 * The trigger's output item, built from a verified notification. Only the fields covered by
 * IntellectMoney's hash are top-level facts; everything else IntellectMoney sends (the invoice number
 * `paymentId` among them) could have been changed by anyone who saw the notification, so it is kept
 * apart under `unverified`. Pure, never throws.
 */
import { imDateToIso } from '../../shared/moscowTime';
import { fieldValue, indexPairs } from './formBody';
import type { NotificationEncoding, Verification } from './verification';

export type NotificationEvent =
	| 'created'
	| 'cancelled'
	| 'paid'
	| 'held'
	| 'partiallyPaid'
	| 'refunded'
	| 'unknown';

type KnownStatus = { event: Exclude<NotificationEvent, 'unknown'>; name: string };

/**
 * `paymentStatus` codes (django-intellectmoney STATUS_CHOICES, Al-Muhandis TPaymentStatus). 6 = the
 * amount is held, waiting for capture (purchaseToPaid). A Map, so a signed status such as `__proto__`
 * or `toString` is simply unknown (no inherited property can answer).
 */
export const PAYMENT_STATUSES: ReadonlyMap<string, KnownStatus> = new Map<string, KnownStatus>([
	['3', { event: 'created', name: 'Created' }],
	['4', { event: 'cancelled', name: 'Cancelled' }],
	['5', { event: 'paid', name: 'Paid' }],
	['6', { event: 'held', name: 'Held' }],
	['7', { event: 'partiallyPaid', name: 'Partially Paid' }],
	['8', { event: 'refunded', name: 'Refunded' }],
]);

/** The event a `paymentStatus` value stands for (`unknown` for a code not in the table). */
export function eventOf(paymentStatus: string): {
	event: NotificationEvent;
	code: number | null;
	name: string;
} {
	const trimmed = typeof paymentStatus === 'string' ? paymentStatus.trim() : '';
	const known = PAYMENT_STATUSES.get(trimmed);
	const code = /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
	return known ? { ...known, code } : { event: 'unknown', code, name: 'Unknown' };
}

/** IntellectMoney's test currency (dev/info/access: "валютой TST"). */
export const TEST_CURRENCY = 'TST';

/** Fields that are never passed on: the signature, and the key some shops get in clear. */
const NEVER_OUTPUT = new Set(['hash', 'secretkey']);

/** What IntellectMoney sends outside its hash: anyone who saw the notification could change it. */
export interface UnverifiedNotificationFields {
	/** `paymentId` as sent: IntellectMoney's invoice number, or what a replayer put there. */
	invoiceId: string | null;
	/** `recipientOriginalAmount`, `refundAmount`, as text, exactly as sent. */
	originalAmount: string | null;
	refundAmount: string | null;
	/** The payer's `ipAddress` and `country`. */
	ipAddress: string | null;
	country: string | null;
	/** `payMethod`, `shortPan`, `bank`. */
	payment: { method: string | null; cardMask: string | null; bank: string | null };
	/** Recurring payments (the field is spelled three ways in the wild; all are read). */
	recurringState: string | null;
	sourceInvoiceId: string | null;
	/** `UserField_N` / `UserFieldName_N` as sent with the invoice. */
	userFields: Record<string, string>;
}

/** One output item of the trigger. Field names are a public contract (README). */
export interface PaymentNotificationOutput {
	event: NotificationEvent;
	status: { code: number | null; name: string };
	eshopId: string;
	orderId: string;
	/**
	 * IntellectMoney's invoice number, only once IntellectMoney confirmed that it is this shop's
	 * invoice for this Order ID (option Confirm Invoice ID); else `null` (see `unverified.invoiceId`).
	 */
	invoiceId: string | null;
	/** `recipientAmount` exactly as sent (text, never re-formatted). */
	amount: string;
	currency: string;
	testMode: boolean;
	serviceName: string;
	eshopAccount: string;
	/** `userName`, `userEmail` (both hashed). */
	payer: { name: string; email: string };
	/**
	 * `paymentData` (sent `yyyy-MM-dd HH:mm:ss`, no zone, IntellectMoney's clock) read as Moscow time,
	 * with its offset: `2026-11-23T18:33:41+03:00`; null when it is not a date. The zone is in the
	 * value, like `receivedAt`'s (UTC, `Z`), so the two are never compared as if in one zone.
	 */
	paidAt: string | null;
	/** True when this notification was seen before (only with Repeated Notifications → Pass On Marked). */
	duplicate: boolean;
	/**
	 * True when `paymentData` is older than the remembered window, too far in the future, or not a
	 * date, so a repeat could not be told apart (only with Repeated Notifications → Pass On Marked).
	 */
	stale: boolean;
	/** How the hash verified: `utf-8`, or `windows-1251` for an older shop's body. */
	encoding: NotificationEncoding;
	/** When this server received the notification, ISO 8601 in UTC (`…Z`). */
	receivedAt: string;
	unverified: UnverifiedNotificationFields;
	/** Every received field but `hash` and `secretKey` (option Include Raw Fields), hashed or not. */
	raw?: Record<string, string>;
}

export interface OutputFacts {
	duplicate: boolean;
	stale: boolean;
	receivedAt: Date;
	includeRaw: boolean;
	/** The invoice number IntellectMoney confirmed for this order, or null. */
	confirmedInvoiceId: string | null;
}

/** Builds the output item from verified pairs. `hash` and `secretKey` never reach it. */
export function buildOutput(
	verification: Extract<Verification, { verified: true }>,
	facts: OutputFacts,
): PaymentNotificationOutput {
	const index = indexPairs(verification.pairs);
	const text = (name: string) => fieldValue(index, name) ?? '';
	const optional = (...names: string[]) => {
		for (const name of names) {
			const value = fieldValue(index, name);
			if (value !== undefined && value !== '') return value;
		}
		return null;
	};
	const status = eventOf(text('paymentStatus'));
	const currency = text('recipientCurrency');

	const userFields: Record<string, string> = {};
	const raw: Record<string, string> = {};
	for (const [lowerName, pair] of index) {
		if (NEVER_OUTPUT.has(lowerName)) continue;
		if (lowerName.startsWith('userfield')) userFields[pair.name] = pair.value;
		raw[pair.name] = pair.value;
	}

	return {
		event: status.event,
		status: { code: status.code, name: status.name },
		eshopId: text('eshopId'),
		orderId: text('orderId'),
		invoiceId: facts.confirmedInvoiceId,
		amount: text('recipientAmount'),
		currency,
		testMode: currency.trim().toUpperCase() === TEST_CURRENCY,
		serviceName: text('serviceName'),
		eshopAccount: text('eshopAccount'),
		payer: { name: text('userName'), email: text('userEmail') },
		paidAt: imDateToIso(text('paymentData')),
		duplicate: facts.duplicate,
		stale: facts.stale,
		encoding: verification.encoding,
		receivedAt: facts.receivedAt.toISOString(),
		unverified: {
			invoiceId: optional('paymentId'),
			originalAmount: optional('recipientOriginalAmount'),
			refundAmount: optional('refundAmount'),
			ipAddress: optional('ipAddress'),
			country: optional('country'),
			payment: {
				method: optional('payMethod'),
				cardMask: optional('shortPan'),
				bank: optional('bank'),
			},
			recurringState: optional('recurringState', 'reccuringState', 'reccurringState'),
			sourceInvoiceId: optional('sourceInvoiceId'),
			userFields,
		},
		...(facts.includeRaw ? { raw } : {}),
	};
}
